import XCTest
@testable import XToolKit

final class DiskConfigTests: XCTestCase {
    private let folder = URL(fileURLWithPath: "/configs", isDirectory: true)

    private func parse(_ text: String) throws(DomainConfigErrors) -> DomainConfig {
        try DomainConfigParser(path: "d.cfg", folder: folder).parse("name = \"a\"\nkernel = \"k.elf\"\n" + text)
    }

    /// The `LINE: message` texts of the errors ([] if it parses).
    private func errors(_ text: String) -> [String] {
        do throws(DomainConfigErrors) {
            _ = try parse(text)
            return []
        } catch {
            return error.errors.map { "\($0.line): \($0.message)" }
        }
    }

    private func disk(_ spec: String) -> Result<DiskConfig, DiskSpecError> {
        DiskConfig.parse(spec, folder: folder, line: 7)
    }

    // MARK: what parses

    func testPositionalForm() throws {
        let config = try parse("disk = [ \"../../build/rootfs.img,raw,xvda,rw\" ]\n")
        XCTAssertEqual(config.disks, [DiskConfig(file: URL(fileURLWithPath: "/build/rootfs.img"), vdev: "xvda",
                                                 virtualDevice: 51712, readOnly: false, line: 3)])
    }

    func testVirtualDeviceNumbersAreXens() {
        XCTAssertEqual(DiskConfig.virtualDevice(of: "xvda"), 51712)
        XCTAssertEqual(DiskConfig.virtualDevice(of: "xvdb"), 51728)
        XCTAssertEqual(DiskConfig.virtualDevice(of: "xvdp"), 202 << 8 | 15 << 4)
        XCTAssertNil(DiskConfig.virtualDevice(of: "xvdq"))
        XCTAssertNil(DiskConfig.virtualDevice(of: "hda"))
        XCTAssertEqual(DiskConfig.vdevNames.count, 16)
    }

    func testSeveralDisksAccessWordsAndDefaults() throws {
        let config = try parse("disk = [ \"a.img,raw,xvda,w\", \"/abs/b.img,raw,xvdb,ro\", \"c.img,,xvdc\", \"d.img,raw,xvdd,r\", ]  # four\n")
        XCTAssertEqual(config.disks.map(\.vdev), ["xvda", "xvdb", "xvdc", "xvdd"])
        XCTAssertEqual(config.disks.map(\.readOnly), [false, true, false, true])
        XCTAssertEqual(config.disks.map(\.file.path), ["/configs/a.img", "/abs/b.img", "/configs/c.img", "/configs/d.img"])
        XCTAssertEqual(config.disks.map(\.virtualDevice), [51712, 51728, 51744, 51760])
    }

    func testKeyedFormWithTargetLastHoldingCommas() throws {
        let disk = try disk(" format=raw, vdev=xvdb, access=ro, target=data, with commas.img").get()
        XCTAssertEqual(disk.file.path, "/configs/data, with commas.img")
        XCTAssertEqual(disk.vdev, "xvdb")
        XCTAssertTrue(disk.readOnly)
        XCTAssertEqual(disk.line, 7)
        XCTAssertEqual(try self.disk("vdev=xvdc,target=/x.img").get().file.path, "/x.img", "format and access default")
        XCTAssertEqual(try self.disk("/x.img,raw,vdev=xvde,access=rw").get().vdev, "xvde", "positional then keyed")
        // xl: a bare value takes the first positional parameter not given yet.
        let keyedFirst = try self.disk("vdev=xvdb, /y.img, raw, ro").get()
        XCTAssertEqual([keyedFirst.file.path, keyedFirst.vdev], ["/y.img", "xvdb"])
        XCTAssertTrue(keyedFirst.readOnly)
        XCTAssertEqual(try self.disk("/z.img,,xvdc").get().vdev, "xvdc", "an empty format is given, and takes the default")
        XCTAssertEqual(try self.disk("/z.img,raw,xvdc,rw,").get().vdev, "xvdc", "a trailing comma")
    }

    func testAnEmptyListHasNoDisks() throws {
        XCTAssertEqual(try parse("disk = []\n").disks, [])
        XCTAssertEqual(try parse("").disks, [], "no disk key: no disks")
    }

    // MARK: what does not

    func testEveryProblemOfASpec() {
        func message(_ spec: String) -> String? {
            if case .failure(let error) = disk(spec) { return error.message }
            return nil
        }
        XCTAssertEqual(message("a.img,qcow2,xvda,rw"), "\"a.img,qcow2,xvda,rw\": format qcow2 is not supported: only raw")
        XCTAssertEqual(message("a.img,raw,hda,rw"), "\"a.img,raw,hda,rw\": vdev hda is not one of xvda to xvdp")
        XCTAssertEqual(message("a.img,raw,xvdq"), "\"a.img,raw,xvdq\": vdev xvdq is not one of xvda to xvdp")
        XCTAssertEqual(message("a.img,raw,xvda,rx"), "\"a.img,raw,xvda,rx\": access rx must be rw (or w) or ro (or r)")
        XCTAssertEqual(message("a.img,raw"), "\"a.img,raw\" names no vdev (xvda to xvdp)")
        XCTAssertEqual(message(""), "\"\" names no target file (target,format,vdev,access)")
        XCTAssertEqual(message(",raw,xvda"), "\",raw,xvda\" names no target file (target,format,vdev,access)")
        XCTAssertEqual(message("a.img,raw,xvda,rw,extra"), "\"a.img,raw,xvda,rw,extra\" has more than target,format,vdev,access: \"extra\"")
        XCTAssertEqual(message("a.img,raw,xvda,devtype=cdrom"), "\"a.img,raw,xvda,devtype=cdrom\": unknown key devtype (known: target, format, vdev, access)")
        XCTAssertEqual(message("vdev=xvda,vdev=xvdb,target=a"), "\"vdev=xvda,vdev=xvdb,target=a\" gives vdev twice")
        XCTAssertEqual(message("a.img,raw,xvda,target=b.img"), "\"a.img,raw,xvda,target=b.img\" gives target twice")
        XCTAssertEqual(message("access=ro,a.img,raw,xvda,rw"), "\"access=ro,a.img,raw,xvda,rw\" has more than target,format,vdev,access: \"rw\"")
    }

    func testConfigErrorsNameTheLineAndTheDisk() {
        XCTAssertEqual(errors("disk = [ \"a.img,raw,xvda\", \"b.img,raw,xvda\" ]\n"),
                       ["3: disk 2: vdev xvda is given to two disks of this domain"])
        XCTAssertEqual(errors("disk = [ \"a.img,vmdk,xvda\" ]\n"),
                       ["3: disk \"a.img,vmdk,xvda\": format vmdk is not supported: only raw"])
        XCTAssertEqual(errors("disk = [ \"a.img,raw,sda\", \"b.img,raw,xvdb,x\" ]\n"), [
            "3: disk 1: \"a.img,raw,sda\": vdev sda is not one of xvda to xvdp; disk 2: \"b.img,raw,xvdb,x\": access x must be rw (or w) or ro (or r)",
        ])
        XCTAssertEqual(errors("disk = \"a.img,raw,xvda\"\n"), ["3: disk must be a list of \"strings\": disk = [ \"FILE,raw,xvda,rw\" ]"])
        XCTAssertEqual(errors("disk = [ \"a.img,raw,xvda\"\n"), ["3: a list is not closed: end it with `]` on the same line"])
        XCTAssertEqual(errors("disk = [ \"a\" \"b\" ]\n"), ["3: expected `,` or `]` after a string in a list, found \"\"b\" ]\""])
        XCTAssertEqual(errors("disk = [ 1 ]\n"), ["3: a list holds \"strings\" separated by commas, found \"1 ]\""])
        XCTAssertEqual(errors("memory = [ \"1\" ]\n"), ["3: memory takes one value, not a [list]"])
        XCTAssertEqual(errors("disk = []\ndisk = []\n"), ["4: disk is set twice (first on line 3)"])
    }
}

final class DiskFileCheckTests: XCTestCase {
    private func messages(_ configs: [DomainConfig]) -> [String] {
        do throws(DomainConfigErrors) {
            try DomainConfigLoader.checkDiskFiles(configs)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    private func domain(_ name: String, _ disks: [(URL, String, Bool)], path: String? = nil) -> DomainConfig {
        DomainConfig(
            name: name, kernel: URL(fileURLWithPath: "/k"),
            disks: disks.enumerated().map { index, disk in
                DiskConfig(file: disk.0, vdev: disk.1, virtualDevice: DiskConfig.virtualDevice(of: disk.1)!, readOnly: disk.2, line: 10 + index)
            },
            source: DomainConfig.Source(path: path ?? "\(name).cfg", nameLine: 1, kernelLine: 2)
        )
    }

    private func file(_ temp: TemporaryFolder, _ name: String, bytes: Int) throws -> URL {
        let url = temp.url.appendingPathComponent(name)
        try Data(count: bytes).write(to: url)
        return url
    }

    func testGoodDisksPass() throws {
        let temp = try TemporaryFolder()
        let a = try file(temp, "a.img", bytes: 512)
        let b = try file(temp, "b.img", bytes: 516096)
        XCTAssertEqual(messages([domain("one", [(a, "xvda", false)]), domain("two", [(b, "xvda", true)])]), [])
    }

    func testSizesMustBeWholeSectors() throws {
        let temp = try TemporaryFolder()
        let empty = try file(temp, "empty.img", bytes: 0)
        let odd = try file(temp, "odd.img", bytes: 1000)
        XCTAssertEqual(messages([domain("one", [(empty, "xvda", false), (odd, "xvdb", false)])]), [
            "one.cfg:10: disk xvda: \(empty.path) is 0 bytes: a disk is a non-zero multiple of 512 bytes (whole sectors)",
            "one.cfg:11: disk xvdb: \(odd.path) is 1000 bytes: a disk is a non-zero multiple of 512 bytes (whole sectors)",
        ])
    }

    func testMissingFoldersAndDevicesAreNoDisks() throws {
        let temp = try TemporaryFolder()
        let missing = temp.url.appendingPathComponent("none.img")
        XCTAssertEqual(messages([domain("one", [(missing, "xvda", false), (temp.url, "xvdb", false),
                                                (URL(fileURLWithPath: "/dev/null"), "xvdc", false)])]), [
            "one.cfg:10: disk xvda: \(missing.path) does not exist",
            "one.cfg:11: disk xvdb: \(temp.url.path) is a folder, not a file",
            "one.cfg:12: disk xvdc: /dev/null is not a regular file",
        ])
    }

    func testAFileBelongsToOneDiskOfOneDomain() throws {
        let temp = try TemporaryFolder()
        let shared = try file(temp, "shared.img", bytes: 4096)
        let link = temp.url.appendingPathComponent("link.img")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: shared)
        XCTAssertEqual(messages([
            domain("one", [(shared, "xvda", false), (shared, "xvdb", true)]),
            domain("two", [(link, "xvda", true)]),
        ]), [
            "one.cfg:11: disk xvdb: \(shared.path) is already this domain's xvda (one.cfg:10): each disk file belongs to one domain",
            "two.cfg:10: disk xvda: \(link.path) is already one's xvda (one.cfg:10): each disk file belongs to one domain",
        ])
    }

    func testAReadWriteDiskMustBeWritable() throws {
        guard getuid() != 0 else { return }  // root writes anything
        let temp = try TemporaryFolder()
        let locked = try file(temp, "locked.img", bytes: 512)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: locked.path)
        XCTAssertEqual(messages([domain("one", [(locked, "xvda", true)])]), [], "read-only is fine")
        XCTAssertEqual(messages([domain("two", [(locked, "xvda", false)])]),
                       ["two.cfg:10: disk xvda: \(locked.path) is not writable (give access ro for a read-only disk)"])
    }
}
