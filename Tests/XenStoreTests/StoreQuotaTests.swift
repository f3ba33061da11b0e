import XCTest
import XenPublic
@testable import XenStore

final class StoreQuotaTests: StoreTestCase {
    override func quotas() -> StoreQuotas {
        var quotas = StoreQuotas()
        quotas.nodesPerDomain = 5
        quotas.valueBytes = 100
        quotas.watchesPerDomain = 3
        quotas.transactionsPerDomain = 2
        quotas.bytesPerTransaction = 2048
        quotas.bytesPerDomain = 8 * 1024
        return quotas
    }

    func testNodeQuotaIsENOSPCAndFreedByRm() {
        makeHome(1)                                       // node 1 of 5
        let guest = domU(1)
        for i in 0..<4 { XCTAssertEqual(write("n\(i)", "", on: guest), "OK") }
        XCTAssertEqual(write("n4", "", on: guest), "error ENOSPC")
        XCTAssertEqual(write("a/b/c", "", on: guest), "error ENOSPC")
        XCTAssertEqual(answer(request(XS_RM, b("n0\0"), on: guest)), "OK")
        XCTAssertEqual(write("n4", "", on: guest), "OK")
        XCTAssertEqual(store.tree.usage(of: 1).nodes, 5)
    }

    /// When dom0's memory runs low, a domain's requests that would make
    /// the store grow get ENOMEM; reads and removals still work, and dom0
    /// itself is not refused.
    func testLowMemoryInDom0IsENOMEMForGrowingRequests() {
        makeHome(1)
        let guest = domU(1)
        XCTAssertEqual(write("kept", "1", on: guest), "OK")
        bridge.roomToGrow = false
        XCTAssertEqual(write("more", "2", on: guest), "error ENOMEM")
        XCTAssertEqual(answer(request(XS_WATCH, b("kept\0t\0"), on: guest)), "error ENOMEM")
        XCTAssertEqual(answer(request(XS_TRANSACTION_START, b("\0"), on: guest)), "error ENOMEM")
        XCTAssertEqual(read("kept", on: guest), "1")
        XCTAssertEqual(answer(request(XS_RM, b("kept\0"), on: guest)), "OK")
        XCTAssertEqual(write("/dom0-node", "x"), "OK")
        bridge.roomToGrow = true
        XCTAssertEqual(write("more", "2", on: guest), "OK")
    }

    func testDom0HasNoQuota() {
        for i in 0..<10 { XCTAssertEqual(write("/many/\(i)", String(repeating: "v", count: 200)), "OK") }
    }

    func testValueSizeIsENOSPC() {
        makeHome(1)
        XCTAssertEqual(write("big", String(repeating: "x", count: 101), on: domU(1)), "error ENOSPC")
        XCTAssertEqual(write("fits", String(repeating: "x", count: 100), on: domU(1)), "OK")
    }

    func testByteQuotaIsENOSPC() {
        var quotas = quotas()
        quotas.nodesPerDomain = 1000
        quotas.valueBytes = 2048
        store = XenStore(bridge: bridge, quotas: quotas)
        dom0 = store.openLocalConnection()
        makeHome(1)
        let guest = domU(1)
        var results: [String] = []
        for i in 0..<10 { results.append(write("v\(i)", String(repeating: "x", count: 2000), on: guest)) }
        XCTAssertEqual(results.filter { $0 == "OK" }.count, 3)
        XCTAssertEqual(results.last, "error ENOSPC")
        XCTAssertLessThanOrEqual(store.tree.usage(of: 1).bytes, 8 * 1024)
    }

    func testWatchQuotaIsE2BIG() {
        let guest = domU(1)
        for i in 0..<3 { XCTAssertEqual(answer(request(XS_WATCH, b("/w\0\(i)\0"), on: guest)), "OK") }
        XCTAssertEqual(answer(request(XS_WATCH, b("/w\0" + "9\0"), on: guest)), "error E2BIG")
    }

    func testTransactionQuotaIsENOSPC() {
        let guest = domU(1)
        XCTAssertNotEqual(answer(request(XS_TRANSACTION_START, [0], on: guest)).first, "e")
        XCTAssertNotEqual(answer(request(XS_TRANSACTION_START, [0], on: guest)).first, "e")
        XCTAssertEqual(answer(request(XS_TRANSACTION_START, [0], on: guest)), "error ENOSPC")
    }

    func testATransactionCannotStageUnboundedReads() {
        let guest = domU(1)
        let id = UInt32(answer(request(XS_TRANSACTION_START, [0], on: guest)))!
        var last = ""
        for i in 0..<200 { last = read("/local/domain/1/missing\(i)", on: guest, transaction: id) }
        XCTAssertEqual(last, "error ENOSPC")
    }

    func testWatchEventsAreDroppedWhenTheOutputIsFull() {
        var quotas = StoreQuotas()
        quotas.queuedOutputBytes = 200
        store = XenStore(bridge: bridge, quotas: quotas)
        dom0 = store.openLocalConnection()
        let guest = domU(1)
        store.handle(StoreMessage(type: XS_WATCH.rawValue, payload: b("/\0t\0")), from: dom0)
        store.handle(StoreMessage(type: XS_SET_PERMS.rawValue, payload: b("/\0r0\0")), from: dom0)
        store.handle(StoreMessage(type: XS_WATCH.rawValue, payload: b("/\0t\0")), from: guest)
        for i in 0..<50 { store.handle(StoreMessage(type: XS_WRITE.rawValue, payload: b("/n\(i)\0v")), from: dom0) }
        XCTAssertLessThanOrEqual(guest.queuedOutputBytes, 200 + 4096 + 16)
        XCTAssertGreaterThan(guest.droppedWatchEvents, 0)
    }
}
