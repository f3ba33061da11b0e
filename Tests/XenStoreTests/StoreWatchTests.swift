import XCTest
import XenPublic
@testable import XenStore

final class StoreWatchTests: StoreTestCase {
    private func watch(_ path: String, _ token: String, on connection: StoreConnection? = nil) -> String {
        answer(request(XS_WATCH, b(path) + [0] + b(token) + [0], on: connection))
    }

    func testAWatchFiresOnceWhenSet() {
        XCTAssertEqual(watch("/w", "tok"), "OK")
        XCTAssertEqual(takeEvents(), ["/w tok"])
    }

    func testAWatchFiresForChangesAtOrBelowItsPathOnly() {
        XCTAssertEqual(watch("/w", "t"), "OK")
        _ = takeEvents()
        XCTAssertEqual(write("/w", "1"), "OK")
        XCTAssertEqual(write("/w/deep/er", "2"), "OK")
        XCTAssertEqual(write("/wx", "3"), "OK")
        XCTAssertEqual(write("/other", "4"), "OK")
        XCTAssertEqual(takeEvents(), ["/w t", "/w/deep/er t"])
    }

    func testRemovingAParentFiresTheWatchesBelowIt() {
        XCTAssertEqual(write("/a/b/c", "1"), "OK")
        XCTAssertEqual(watch("/a/b/c", "low"), "OK")
        XCTAssertEqual(watch("/a", "high"), "OK")
        _ = takeEvents()
        XCTAssertEqual(answer(request(XS_RM, b("/a/b\0"))), "OK")
        XCTAssertEqual(takeEvents().sorted(), ["/a/b high", "/a/b/c low"])
    }

    func testMkdirOfAnExistingNodeFiresNothing() {
        XCTAssertEqual(write("/m", ""), "OK")
        XCTAssertEqual(watch("/m", "t"), "OK")
        _ = takeEvents()
        XCTAssertEqual(answer(request(XS_MKDIR, b("/m\0"))), "OK")
        XCTAssertEqual(takeEvents(), [])
    }

    func testRelativeWatchesReportRelativePaths() {
        makeHome(5)
        let guest = domU(5)
        XCTAssertEqual(watch("device", "dev", on: guest), "OK")
        XCTAssertEqual(takeEvents(guest), ["device dev"])
        XCTAssertEqual(write("/local/domain/5/device/vif/0", "x"), "OK")
        XCTAssertEqual(takeEvents(guest), ["device/vif/0 dev"])
    }

    func testAWatcherHearsOnlyOfNodesItMayRead() {
        makeHome(5)
        let guest = domU(5)
        XCTAssertEqual(watch("/", "all", on: guest), "OK")
        _ = takeEvents(guest)
        XCTAssertEqual(write("/private", "x"), "OK")
        XCTAssertEqual(write("/local/domain/5/mine", "y"), "OK")
        XCTAssertEqual(takeEvents(guest), ["/local/domain/5/mine all"])
    }

    func testUnwatchAndResetWatches() {
        XCTAssertEqual(watch("/u", "1"), "OK")
        XCTAssertEqual(watch("/u", "2"), "OK")
        XCTAssertEqual(watch("/u", "1"), "error EEXIST")
        XCTAssertEqual(answer(request(XS_UNWATCH, b("/u\0" + "1\0"))), "OK")
        XCTAssertEqual(answer(request(XS_UNWATCH, b("/u\0" + "1\0"))), "error ENOENT")
        _ = takeEvents()
        XCTAssertEqual(write("/u", "x"), "OK")
        XCTAssertEqual(takeEvents(), ["/u 2"])
        XCTAssertEqual(answer(request(XS_RESET_WATCHES, [])), "OK")
        XCTAssertEqual(write("/u", "y"), "OK")
        XCTAssertEqual(takeEvents(), [])
    }

    func testSpecialWatchesFireOnIntroduceAndReleaseForDom0Only() {
        let guest = domU(9)
        XCTAssertEqual(watch("@introduceDomain", "in"), "OK")
        XCTAssertEqual(watch("@releaseDomain", "out"), "OK")
        XCTAssertEqual(watch("@releaseDomain", "spy", on: guest), "OK")
        XCTAssertEqual(watch("@nonsense", "x"), "error EINVAL")
        XCTAssertEqual(takeEvents(), ["@introduceDomain in", "@releaseDomain out"])
        _ = takeEvents(guest)
        XCTAssertEqual(answer(request(XS_INTRODUCE, b("3\0" + "77\0" + "5\0"))), "OK")
        XCTAssertEqual(takeEvents(), ["@introduceDomain in"])
        XCTAssertEqual(answer(request(XS_RELEASE, b("3\0"))), "OK")
        XCTAssertEqual(takeEvents(), ["@releaseDomain out"])
        XCTAssertEqual(takeEvents(guest), [])
    }

    func testWatchesFireOnlyWhenATransactionCommits() {
        XCTAssertEqual(watch("/t", "w"), "OK")
        _ = takeEvents()
        let id = UInt32(answer(request(XS_TRANSACTION_START, [0])))!
        XCTAssertEqual(write("/t/a", "1", transaction: id), "OK")
        XCTAssertEqual(takeEvents(), [])
        XCTAssertEqual(answer(request(XS_TRANSACTION_END, b("T\0"), transaction: id)), "OK")
        XCTAssertEqual(takeEvents(), ["/t/a w"])
    }
}
