import XCTest
@testable import XToolKit

final class ProjectLockTests: XCTestCase {
    func testNestsWithinOneProcessAndLeavesALockFile() throws {
        let folder = try TemporaryFolder()
        let value = try ProjectLock.shared.withLock(root: folder.url, reporter: .silent) {
            // BootRunner builds while holding the lock: taking it again must not block.
            try ProjectLock.shared.withLock(root: folder.url, reporter: .silent) { 42 }
        }
        XCTAssertEqual(value, 42)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("build/.xtool.lock").path))
    }

    func testIsFreeAgainAfterUse() throws {
        let folder = try TemporaryFolder()
        try ProjectLock.shared.withLock(root: folder.url, reporter: .silent) {}
        // Another descriptor can take the flock now, as another process would.
        let descriptor = open(folder.url.appendingPathComponent("build/.xtool.lock").path, O_RDWR)
        defer { close(descriptor) }
        XCTAssertEqual(flock(descriptor, LOCK_EX | LOCK_NB), 0)
    }
}
