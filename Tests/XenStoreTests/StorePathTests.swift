import XCTest
import XenPublic
@testable import XenStore

final class StorePathTests: StoreTestCase {
    private func resolves(_ raw: String, _ domain: UInt16 = 0) -> String? {
        (try? StorePath.resolve(Array(raw.utf8)[...], for: domain)).map { text($0.bytes) }
    }

    func testValidPaths() {
        XCTAssertEqual(resolves("/"), "/")
        XCTAssertEqual(resolves("/a-b/c_d/@e/F9"), "/a-b/c_d/@e/F9")
        XCTAssertEqual(resolves("x/y", 12), "/local/domain/12/x/y")
    }

    func testInvalidPathsAreRefused() {
        for raw in ["", "//", "/a//b", "/a/", "/a b", "/a.b", "/ä", "x/", "@releaseDomain", "/a\u{0}"] {
            XCTAssertNil(resolves(raw), raw)
        }
    }

    func testLengthLimits() {
        let longestAbsolute = "/" + String(repeating: "a", count: 3071)
        XCTAssertNotNil(resolves(longestAbsolute))
        XCTAssertNil(resolves(longestAbsolute + "a"))
        XCTAssertNotNil(resolves(String(repeating: "r", count: 2048), 1))
        XCTAssertNil(resolves(String(repeating: "r", count: 2049), 1))
    }

    func testInvalidPathsAreEINVALOnTheWire() {
        XCTAssertEqual(write("/bad//path", "v"), "error EINVAL")
        XCTAssertEqual(read("/trailing/"), "error EINVAL")
        XCTAssertEqual(answer(request(XS_WRITE, b("/no-nul"))), "error EINVAL")
    }

    func testWithin() {
        let a = try! StorePath.resolve(b("/a")[...], for: 0)
        XCTAssertTrue(try! StorePath.resolve(b("/a/b")[...], for: 0).isWithin(a))
        XCTAssertFalse(try! StorePath.resolve(b("/ab")[...], for: 0).isWithin(a))
        XCTAssertTrue(a.isWithin(.root))
    }
}
