import XCTest
@testable import XToolKit

final class ToolchainTests: XCTestCase {
    private func makeTools(_ names: [String], in folder: TemporaryFolder, under path: String) throws -> URL {
        for name in names {
            let file = try folder.write("\(path)/\(name)", "#!/bin/sh\n")
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }
        return folder.url.appendingPathComponent(path)
    }

    func testToolsComeFromTheFolderOfSwiftInPath() throws {
        let folder = try TemporaryFolder()
        let bin = try makeTools(["swift", "swiftc", "clang", "ld.lld"], in: folder, under: "toolchain/usr/bin")
        let toolchain = try Toolchain.locate(environment: ["PATH": bin.path], fallbackFolder: "/nonexistent")
        XCTAssertEqual(toolchain.swiftc.path, bin.appendingPathComponent("swiftc").path)
        XCTAssertEqual(toolchain.clang.path, bin.appendingPathComponent("clang").path)
        XCTAssertEqual(toolchain.lld.path, bin.appendingPathComponent("ld.lld").path)
    }

    func testFallbackFolderIsUsed() throws {
        let folder = try TemporaryFolder()
        let fallback = try makeTools(["swiftc", "clang", "ld.lld"], in: folder, under: "opt/bin")
        let toolchain = try Toolchain.locate(environment: ["PATH": "/nonexistent"], fallbackFolder: fallback.path)
        XCTAssertEqual(toolchain.clang.path, fallback.appendingPathComponent("clang").path)
    }

    func testMissingToolIsAClearError() throws {
        let folder = try TemporaryFolder()
        let bin = try makeTools(["swift", "swiftc", "clang"], in: folder, under: "bin")
        XCTAssertThrowsError(try Toolchain.locate(environment: ["PATH": bin.path], fallbackFolder: "/nonexistent")) { error in
            guard case XToolError.toolchainToolMissing(let name, let searched) = error else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(name, "ld.lld")
            XCTAssertEqual(searched.last, "/nonexistent")
        }
    }
}
