import XCTest
@testable import XToolKit

final class DomainConfigLoaderTests: XCTestCase {
    /// The `FILE:LINE: message` texts of what `body` throws ([] if nothing).
    private func messages(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        do {
            try body()
            return []
        } catch let errors as DomainConfigErrors {
            return errors.errors.map(\.description)
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return []
        }
    }

    func testLoadsFilesRelativeToTheFolderAndKernelsRelativeToEachFile() throws {
        let temp = try TemporaryFolder()
        try temp.write("configs/a.cfg", "name = \"alpha\"\nkernel = \"../k/worker.elf\"\n")
        try temp.write("b.cfg", "name = \"beta\"\nkernel = \"k/worker.elf\"\nmemory = 32\n")
        let configs = try DomainConfigLoader.load(["configs/a.cfg", temp.url.path + "/b.cfg"], relativeTo: temp.url)
        XCTAssertEqual(configs.map(\.name), ["alpha", "beta"])
        XCTAssertEqual(configs[0].kernel.path, temp.url.appendingPathComponent("k/worker.elf").path)
        XCTAssertEqual(configs[1].kernel.path, temp.url.appendingPathComponent("k/worker.elf").path)
        XCTAssertEqual(configs[0].source.path, "configs/a.cfg", "messages name the file as the user did")
    }

    func testNoFilesNoDomains() throws {
        XCTAssertEqual(try DomainConfigLoader.load([], relativeTo: URL(fileURLWithPath: "/")), [])
    }

    func testUnreadableFilesAreReportedAtLineZero() throws {
        let temp = try TemporaryFolder()
        try FileManager.default.createDirectory(at: temp.url.appendingPathComponent("folder.cfg"), withIntermediateDirectories: true)
        try Data([0xff, 0xfe, 0x00]).write(to: temp.url.appendingPathComponent("binary.cfg"))
        XCTAssertEqual(messages { _ = try DomainConfigLoader.load(["none.cfg", "folder.cfg", "binary.cfg"], relativeTo: temp.url) }, [
            "none.cfg:0: cannot read the domain config: no such file",
            "folder.cfg:0: cannot read the domain config: it is a folder",
            "binary.cfg:0: cannot read the domain config: it is not UTF-8 text",
        ])
    }

    func testUnreadableForPermissions() throws {
        guard getuid() != 0 else { return }  // root reads anything
        let temp = try TemporaryFolder()
        let file = try temp.write("secret.cfg", "name = \"a\"\n")
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: file.path)
        XCTAssertEqual(messages { _ = try DomainConfigLoader.load(["secret.cfg"], relativeTo: temp.url) },
                       ["secret.cfg:0: cannot read the domain config: permission denied"])
    }

    func testProblemsOfAllFilesAreCollected() throws {
        let temp = try TemporaryFolder()
        try temp.write("a.cfg", "name = \"alpha\"\nkernel = \"k\"\nvcpus = 2\n")
        try temp.write("b.cfg", "kernel = \"k\"\n")
        XCTAssertEqual(messages { _ = try DomainConfigLoader.load(["a.cfg", "b.cfg"], relativeTo: temp.url) }, [
            "a.cfg:3: vcpus = 2: only 1 vCPU per domain is supported",
            "b.cfg:1: missing required key name",
        ])
    }

    func testNamesMustBeUniqueAcrossTheBoot() throws {
        let temp = try TemporaryFolder()
        try temp.write("a.cfg", "name = \"alpha\"\nkernel = \"k\"\n")
        try temp.write("b.cfg", "# same name\nkernel = \"k\"\nname = \"alpha\"\n")
        XCTAssertEqual(messages { _ = try DomainConfigLoader.load(["a.cfg", "b.cfg", "a.cfg"], relativeTo: temp.url) }, [
            "b.cfg:3: name \"alpha\" is already used by a.cfg:1",
            "a.cfg:1: name \"alpha\" is already used by a.cfg:1",
        ])
    }

    func testDom0sNameIsTaken() throws {
        let temp = try TemporaryFolder()
        try temp.write("d.cfg", "kernel = \"k\"\nname = \"dom0\"\n")
        XCTAssertEqual(messages { _ = try DomainConfigLoader.load(["d.cfg"], relativeTo: temp.url) },
                       ["d.cfg:2: name \"dom0\" is domain 0's: choose another"])
    }

    func testMissingKernelsAreReportedAtTheirLine() throws {
        let temp = try TemporaryFolder()
        try temp.write("present.elf", "ELF")
        try FileManager.default.createDirectory(at: temp.url.appendingPathComponent("dir.elf"), withIntermediateDirectories: true)
        try temp.write("a.cfg", "name = \"a\"\nkernel = \"present.elf\"\n")
        try temp.write("b.cfg", "name = \"b\"\n\nkernel = \"absent.elf\"\n")
        try temp.write("c.cfg", "kernel = \"dir.elf\"\nname = \"c\"\n")
        let configs = try DomainConfigLoader.load(["a.cfg", "b.cfg", "c.cfg"], relativeTo: temp.url)
        XCTAssertEqual(messages { try DomainConfigLoader.checkKernelFiles(configs) }, [
            "b.cfg:3: kernel \(temp.url.appendingPathComponent("absent.elf").path) does not exist",
            "c.cfg:1: kernel \(temp.url.appendingPathComponent("dir.elf").path) is a folder, not a file",
        ])
        XCTAssertEqual(messages { try DomainConfigLoader.checkKernelFiles([configs[0]]) }, [])
    }

    func testMissingRamdisksAreReportedAtTheirLine() throws {
        let temp = try TemporaryFolder()
        try temp.write("k.elf", "ELF")
        try temp.write("r.cpio", "cpio")
        try temp.write("a.cfg", "name = \"a\"\nkernel = \"k.elf\"\nramdisk = \"r.cpio\"\n")
        try temp.write("b.cfg", "name = \"b\"\nkernel = \"k.elf\"\n\nramdisk = \"gone.cpio\"\n")
        let configs = try DomainConfigLoader.load(["a.cfg", "b.cfg"], relativeTo: temp.url)
        XCTAssertEqual(messages { try DomainConfigLoader.checkKernelFiles(configs) }, [
            "b.cfg:4: ramdisk \(temp.url.appendingPathComponent("gone.cpio").path) does not exist",
        ])
    }
}
