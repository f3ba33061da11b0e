import XCTest
import XenPublic
@testable import XenStore

final class StoreTransactionTests: StoreTestCase {
    private func start(_ connection: StoreConnection? = nil) -> UInt32 {
        UInt32(answer(request(XS_TRANSACTION_START, [0], on: connection)))!
    }

    private func end(_ id: UInt32, _ letter: String, on connection: StoreConnection? = nil) -> String {
        answer(request(XS_TRANSACTION_END, b(letter) + [0], on: connection, transaction: id))
    }

    func testATransactionSeesItsOwnWritesAndOthersSeeThemOnlyAfterCommit() {
        let id = start()
        XCTAssertNotEqual(id, 0)
        XCTAssertEqual(write("/x/y", "in", transaction: id), "OK")
        XCTAssertEqual(read("/x/y", transaction: id), "in")
        XCTAssertEqual(read("/x/y"), "error ENOENT")
        XCTAssertEqual(end(id, "T"), "OK")
        XCTAssertEqual(read("/x/y"), "in")
        XCTAssertEqual(request(XS_DIRECTORY, b("/x\0")).payload, b("y\0"))
    }

    func testAbortDropsEverything() {
        XCTAssertEqual(write("/k", "old"), "OK")
        let id = start()
        XCTAssertEqual(write("/k", "new", transaction: id), "OK")
        XCTAssertEqual(answer(request(XS_RM, b("/k\0"), transaction: id)), "OK")
        XCTAssertEqual(read("/k", transaction: id), "error ENOENT")
        XCTAssertEqual(end(id, "F"), "OK")
        XCTAssertEqual(read("/k"), "old")
        XCTAssertEqual(end(id, "T"), "error ENOENT")
    }

    func testAConflictingCommitIsEAGAINAndChangesNothing() {
        XCTAssertEqual(write("/c", "0"), "OK")
        let id = start()
        XCTAssertEqual(read("/c", transaction: id), "0")
        XCTAssertEqual(write("/d", "mine", transaction: id), "OK")
        XCTAssertEqual(write("/c", "changed outside"), "OK")
        XCTAssertEqual(end(id, "T"), "error EAGAIN")
        XCTAssertEqual(read("/d"), "error ENOENT")
        XCTAssertEqual(read("/c"), "changed outside")
    }

    func testTwoTransactionsOnDisjointNodesBothCommit() {
        XCTAssertEqual(write("/p/a", ""), "OK")
        XCTAssertEqual(write("/q/b", ""), "OK")
        let first = start(), second = start()
        XCTAssertEqual(write("/p/a", "1", transaction: first), "OK")
        XCTAssertEqual(write("/q/b", "2", transaction: second), "OK")
        XCTAssertEqual(end(first, "T"), "OK")
        XCTAssertEqual(end(second, "T"), "OK")
        XCTAssertEqual(read("/p/a") + read("/q/b"), "12")
    }

    func testUnknownTransactionsNestingAndBadEnds() {
        XCTAssertEqual(read("/", transaction: 999), "error ENOENT")
        let id = start()
        XCTAssertEqual(answer(request(XS_TRANSACTION_START, [0], transaction: id)), "error EBUSY")
        XCTAssertEqual(end(id, "X"), "error EINVAL")
        XCTAssertEqual(read("/", transaction: id), "")   // still open after the bad end
        let other = domU(2)
        XCTAssertEqual(end(id, "T", on: other), "error ENOENT")
        XCTAssertEqual(end(id, "T"), "OK")
    }
}
