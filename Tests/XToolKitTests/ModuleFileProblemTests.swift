import Foundation
import XCTest
@testable import XToolKit

final class ModuleFileProblemTests: XCTestCase {
    func testARegularFileIsFine() throws {
        let temp = try TemporaryFolder()
        XCTAssertNil(ModuleFileProblem.of(try temp.write("dom0.elf", "ELF")))
    }

    func testMissingFiles() throws {
        let temp = try TemporaryFolder()
        let file = try temp.write("dom0.elf", "ELF")
        XCTAssertEqual(ModuleFileProblem.of(temp.url.appendingPathComponent("absent.elf")), .missing)
        XCTAssertEqual(ModuleFileProblem.of(file.appendingPathComponent("inside")), .missing, "a file is no folder")
    }

    func testAFolder() throws {
        let temp = try TemporaryFolder()
        XCTAssertEqual(ModuleFileProblem.of(temp.url), .folder)
        XCTAssertEqual(ModuleFileProblem.folder.description, "is a folder, not a file")
    }

    func testADevice() {
        XCTAssertEqual(ModuleFileProblem.of(URL(fileURLWithPath: "/dev/null")), .notRegularFile)
    }

    func testSymbolicLinksAreFollowed() throws {
        let temp = try TemporaryFolder()
        let file = try temp.write("real.elf", "ELF")
        let links = FileManager.default
        try links.createSymbolicLink(at: temp.url.appendingPathComponent("to-file"), withDestinationURL: file)
        try links.createSymbolicLink(at: temp.url.appendingPathComponent("to-folder"), withDestinationURL: temp.url)
        try links.createSymbolicLink(at: temp.url.appendingPathComponent("dangling"),
                                     withDestinationURL: temp.url.appendingPathComponent("gone"))
        XCTAssertNil(ModuleFileProblem.of(temp.url.appendingPathComponent("to-file")))
        XCTAssertEqual(ModuleFileProblem.of(temp.url.appendingPathComponent("to-folder")), .folder)
        XCTAssertEqual(ModuleFileProblem.of(temp.url.appendingPathComponent("dangling")), .missing)
    }

    /// The unreadable case through a path open(2) refuses for everyone: a
    /// file without read permission would not do, since the tests run as
    /// root in CI and root reads any file.
    func testAPathTheSystemRefusesIsUnreadable() {
        let tooLong = URL(fileURLWithPath: "/tmp/" + String(repeating: "x", count: 300))
        XCTAssertEqual(ModuleFileProblem.of(tooLong), .unreadable("File name too long"))
        XCTAssertEqual(ModuleFileProblem.unreadable("File name too long").description, "cannot be read (File name too long)")
    }

    func testCheckFilesNamesTheFirstBadModule() throws {
        let temp = try TemporaryFolder()
        let good = BootModule(file: try temp.write("dom0.elf", "ELF"), arguments: "a b")
        let folder = BootModule(file: temp.url)
        let missing = BootModule(file: temp.url.appendingPathComponent("worker.elf"))
        XCTAssertNoThrow(try BootModule.checkFiles([good, good]))
        XCTAssertThrowsError(try BootModule.checkFiles([good, folder, missing])) { error in
            XCTAssertEqual(error as? XToolError, .unusableModule(path: temp.url.path, problem: .folder))
            XCTAssertEqual("\(error)", "boot module \(temp.url.path) is a folder, not a file")
            XCTAssertEqual((error as? XToolError)?.exitCode, .couldNotBuildOrStart)
        }
        XCTAssertThrowsError(try BootModule.checkFiles([missing])) { error in
            XCTAssertEqual("\(error)", "boot module \(missing.file.path) does not exist")
        }
    }
}
