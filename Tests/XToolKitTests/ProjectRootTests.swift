import XCTest
@testable import XToolKit

final class ProjectRootTests: XCTestCase {
    func testFindsPackageSwiftAbove() throws {
        let folder = try TemporaryFolder()
        try folder.write("Package.swift", "// swift-tools-version: 6.0")
        let deep = try folder.write("Kernel/Arch/x86_64/boot.S")
        let root = try ProjectRoot.find(startingAt: deep.deletingLastPathComponent())
        XCTAssertEqual(root.resolvingSymlinksInPath().path, folder.url.resolvingSymlinksInPath().path)
        // A file works as a start too (tests pass #filePath).
        XCTAssertEqual(try ProjectRoot.find(startingAt: deep).resolvingSymlinksInPath().path, root.resolvingSymlinksInPath().path)
    }

    func testNearestPackageWins() throws {
        let folder = try TemporaryFolder()
        try folder.write("Package.swift")
        try folder.write("inner/Package.swift")
        let start = try folder.write("inner/src/x.swift")
        XCTAssertEqual(try ProjectRoot.find(startingAt: start).lastPathComponent, "inner")
    }

    func testNoPackageThrows() throws {
        // "/" has no Package.swift on any sane machine.
        XCTAssertThrowsError(try ProjectRoot.find(startingAt: URL(fileURLWithPath: "/"))) { error in
            guard case XToolError.projectRootNotFound = error else {
                return XCTFail("unexpected error \(error)")
            }
        }
    }

    func testThisRepository() throws {
        let root = try ProjectRoot.find(startingAt: URL(fileURLWithPath: #filePath))
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("Toolstack/XToolKit").path))
    }
}
