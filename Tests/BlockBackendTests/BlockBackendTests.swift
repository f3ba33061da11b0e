import XCTest
import XenPublic
@testable import BlockBackend

/// The backend serving a real ring page, as blkfront fills it.
final class BlockBackendTests: XCTestCase {
    var disk: FakeDisk!
    var grants: FakeGrants!
    var barrier: CountingBarrier!
    var frontend: FrontendRing!
    var backend: BlockBackend!

    override func setUp() {
        disk = FakeDisk(sectors: 64)
        grants = FakeGrants()
        barrier = CountingBarrier()
        frontend = FrontendRing()
        backend = makeBackend(readOnly: false)
    }

    func makeBackend(readOnly: Bool) -> BlockBackend {
        BlockBackend(frontend: 3, device: disk, readOnly: readOnly, ringPage: frontend.page,
                     copier: grants, barrier: barrier)
    }

    func statuses(_ responses: [blkif_response]) -> [Int16] { responses.map { $0.status } }

    func testWriteThenReadAcrossSegments() {
        let a = grants.grant(10), b = grants.grant(11), c = grants.grant(12)
        for offset in 0..<4096 {
            a.storeBytes(of: UInt8(truncatingIfNeeded: offset), toByteOffset: offset, as: UInt8.self)
            b.storeBytes(of: UInt8(truncatingIfNeeded: offset / 3), toByteOffset: offset, as: UInt8.self)
            c.storeBytes(of: 0xC5, toByteOffset: offset, as: UInt8.self)
        }
        // 8 + 2 + 1 sectors from disk sector 20: a whole page, sectors 2-3
        // of b, sector 7 of c.
        frontend.push(blkifRequest(BLKIF_OP_WRITE, id: 0xAAAA_0001, sector: 20, segments: [(10, 0, 7), (11, 2, 3), (12, 7, 7)]))
        XCTAssertEqual(backend.serve(), .init(notify: true))
        let written = frontend.takeResponses()
        XCTAssertEqual(written.map { $0.id }, [0xAAAA_0001])
        XCTAssertEqual(written.map { $0.operation }, [UInt8(BLKIF_OP_WRITE)])
        XCTAssertEqual(statuses(written), [Int16(BLKIF_RSP_OKAY)])
        XCTAssertEqual(disk.writes.map { $0.0 }, [20])
        XCTAssertEqual(disk.writes.map { $0.1 }, [11])
        XCTAssertEqual(Array(disk.bytes[20 * 512..<28 * 512]), grants.bytes(10, 0..<4096))
        XCTAssertEqual(Array(disk.bytes[28 * 512..<30 * 512]), grants.bytes(11, 1024..<2048))
        XCTAssertEqual(Array(disk.bytes[30 * 512..<31 * 512]), grants.bytes(12, 3584..<4096))

        // Read the same 11 sectors back into two fresh pages, split differently.
        _ = grants.grant(20); _ = grants.grant(21)
        frontend.push(blkifRequest(BLKIF_OP_READ, id: 2, sector: 20, segments: [(20, 1, 6), (21, 0, 4)]))
        XCTAssertEqual(backend.serve(), .init(notify: true))
        XCTAssertEqual(statuses(frontend.takeResponses()), [Int16(BLKIF_RSP_OKAY)])
        XCTAssertEqual(grants.bytes(20, 512..<3584), Array(disk.bytes[20 * 512..<26 * 512]))
        XCTAssertEqual(grants.bytes(21, 0..<2560), Array(disk.bytes[26 * 512..<31 * 512]))
        XCTAssertEqual(grants.bytes(20, 0..<512), Array(repeating: 0, count: 512), "outside the segment is untouched")
        XCTAssertEqual(grants.domains, [3])
        XCTAssertEqual(backend.requestsServed, 2)
        XCTAssertEqual(backend.errors, 0)
    }

    func testEachRequestGetsOneResponseWithItsIdAndStatus() {
        _ = grants.grant(1)
        frontend.push(blkifRequest(BLKIF_OP_READ, id: 100, sector: 0, segments: [(1, 0, 0)]))
        frontend.push(blkifRequest(BLKIF_OP_WRITE_BARRIER, id: 101, segments: [(1, 0, 0)]))
        frontend.push(blkifRequest(BLKIF_OP_READ, id: 102, sector: 64, segments: [(1, 0, 0)]))
        frontend.push(blkifRequest(BLKIF_OP_FLUSH_DISKCACHE, id: 103))
        frontend.push(blkifRequest(BLKIF_OP_DISCARD, id: 104))
        frontend.push(blkifRequest(BLKIF_OP_WRITE, id: 105, sector: 1, segments: [(1, 4, 3)]))
        _ = backend.serve()
        let responses = frontend.takeResponses()
        XCTAssertEqual(responses.map { $0.id }, [100, 101, 102, 103, 104, 105])
        XCTAssertEqual(responses.map { $0.operation }, [0, 2, 0, 3, 5, 1])
        XCTAssertEqual(statuses(responses), [0, -2, -1, 0, -2, -1])
        XCTAssertEqual(disk.flushes, 1)
        XCTAssertEqual(backend.requestsServed, 6)
        XCTAssertEqual(backend.errors, 4)
        XCTAssertEqual(backend.lastRefusal, .badSegment(index: 0))
    }

    func testBadGrantOnReadIsAnErrorAndTheNextRequestIsServed() {
        _ = grants.grant(1); _ = grants.grant(2)
        grants.refused = [2]
        frontend.push(blkifRequest(BLKIF_OP_READ, id: 1, segments: [(1, 0, 7), (2, 0, 7)]))
        frontend.push(blkifRequest(BLKIF_OP_READ, id: 2, segments: [(1, 0, 7)]))
        _ = backend.serve()
        XCTAssertEqual(statuses(frontend.takeResponses()), [-1, 0])
        XCTAssertEqual(backend.lastRefusal, .badGrant(index: 1, reference: 2))
    }

    func testBadGrantOnWriteWritesNothing() {
        _ = grants.grant(1)
        let before = disk.bytes
        frontend.push(blkifRequest(BLKIF_OP_WRITE, id: 1, segments: [(1, 0, 7), (99, 0, 7)]))
        frontend.push(blkifRequest(BLKIF_OP_FLUSH_DISKCACHE, id: 2, segments: [(99, 0, 0)]))
        _ = backend.serve()
        XCTAssertEqual(statuses(frontend.takeResponses()), [-1, -1])
        XCTAssertTrue(disk.writes.isEmpty)
        XCTAssertEqual(disk.flushes, 0, "a flush whose write failed does not flush")
        XCTAssertEqual(disk.bytes, before)
    }

    func testDeviceErrorsAreErrorResponses() {
        _ = grants.grant(1, filledWith: 0x77)
        disk.failNextIO = true
        frontend.push(blkifRequest(BLKIF_OP_READ, id: 1, segments: [(1, 0, 7)]))
        _ = backend.serve()
        XCTAssertEqual(grants.bytes(1, 0..<8), Array(repeating: 0x77, count: 8), "nothing copied after a failed read")
        disk.failNextIO = true
        frontend.push(blkifRequest(BLKIF_OP_WRITE, id: 2, segments: [(1, 0, 7)]))
        disk.failFlush = true
        frontend.push(blkifRequest(BLKIF_OP_FLUSH_DISKCACHE, id: 3))
        _ = backend.serve()
        XCTAssertEqual(statuses(frontend.takeResponses()), [-1, -1, -1])
        XCTAssertEqual(backend.lastRefusal, .deviceError)
    }

    func testReadOnlyVbdRefusesWrites() {
        backend = makeBackend(readOnly: true)
        _ = grants.grant(1)
        frontend.push(blkifRequest(BLKIF_OP_WRITE, id: 1, segments: [(1, 0, 7)]))
        frontend.push(blkifRequest(BLKIF_OP_READ, id: 2, segments: [(1, 0, 7)]))
        _ = backend.serve()
        XCTAssertEqual(statuses(frontend.takeResponses()), [-1, 0])
        XCTAssertTrue(disk.writes.isEmpty)
    }

    func testAFullRingIsServedAndSlotsWrapAround() {
        _ = grants.grant(1)
        for round in 0..<3 {
            for index in 0..<32 { frontend.push(blkifRequest(BLKIF_OP_READ, id: UInt64(round * 32 + index), sector: UInt64(index), segments: [(1, 0, 0)])) }
            XCTAssertEqual(backend.serve(), .init(notify: true))
            let responses = frontend.takeResponses()
            XCTAssertEqual(responses.map { $0.id }, (0..<32).map { UInt64(round * 32 + $0) })
            XCTAssertEqual(Set(statuses(responses)), [0])
        }
        XCTAssertEqual(backend.requestsServed, 96)
    }

    func testABrokenRingIsNotServedAndDoesNotLoop() {
        _ = grants.grant(1)
        frontend.push(blkifRequest(BLKIF_OP_READ, id: 1, segments: [(1, 0, 0)]))
        // 33 requests ahead of the responses: more than the ring holds.
        frontend.setRequestProducer(33)
        XCTAssertEqual(backend.serve(), .init(broken: true))
        XCTAssertTrue(backend.isBroken)
        XCTAssertEqual(backend.brokenRequestProducer, 33)
        XCTAssertEqual(frontend.responseProducer, 0)
        XCTAssertTrue(disk.reads.isEmpty, "nothing of a broken ring is served")
        frontend.setRequestProducer(1)
        XCTAssertEqual(backend.serve(), .init(broken: true), "and it stays broken")
        XCTAssertTrue(disk.reads.isEmpty)
    }

    func testAProducerThatWrappedBackwardsIsBroken() {
        frontend.setRequestProducer(UInt32.max)
        XCTAssertEqual(backend.serve(), .init(broken: true))
    }

    func testThirtyTwoAheadIsAFullRingNotABrokenOne() {
        _ = grants.grant(1)
        for index in 0..<32 { frontend.push(blkifRequest(BLKIF_OP_READ, id: UInt64(index), segments: [(1, 0, 0)])) }
        XCTAssertFalse(backend.serve().broken)
        XCTAssertEqual(frontend.takeResponses().count, 32)
    }

    func testNotifiesOnlyWhenTheFrontendAskedForIt() {
        _ = grants.grant(1)
        frontend.push(blkifRequest(BLKIF_OP_READ, id: 1, segments: [(1, 0, 0)]))
        XCTAssertTrue(backend.serve().notify, "rsp_event 1: the first response is wanted")
        XCTAssertEqual(frontend.takeResponses(rearm: false).count, 1)
        // The frontend is not waiting (rsp_event left at 1, already passed).
        frontend.push(blkifRequest(BLKIF_OP_READ, id: 2, segments: [(1, 0, 0)]))
        XCTAssertFalse(backend.serve().notify)
        // It waits for the 4th response from now.
        frontend.responseEvent = frontend.responseProducer &+ 4
        for id in 3...5 { frontend.push(blkifRequest(BLKIF_OP_READ, id: UInt64(id), segments: [(1, 0, 0)])) }
        XCTAssertFalse(backend.serve().notify)
        frontend.push(blkifRequest(BLKIF_OP_READ, id: 6, segments: [(1, 0, 0)]))
        XCTAssertTrue(backend.serve().notify)
        XCTAssertEqual(frontend.takeResponses().map { $0.id }, [2, 3, 4, 5, 6])
    }

    func testAnEmptyRingSetsRequestEventBeforeSleeping() {
        _ = grants.grant(1)
        for id in 1...3 { frontend.push(blkifRequest(BLKIF_OP_READ, id: UInt64(id), segments: [(1, 0, 0)])) }
        _ = backend.serve()
        XCTAssertEqual(frontend.requestEvent, 4, "req_event = req_cons + 1")
        XCTAssertEqual(backend.serve(), .init())
    }

    func testTheFinalCheckCatchesARequestPutBeforeRequestEvent() {
        _ = grants.grant(1)
        // The frontend pushes once more right after the backend set
        // req_event (so it sends no event for it): the re-check must find it.
        var pushed = false
        barrier.hook = { [unowned self] in
            if !pushed, frontend.requestEvent == 1 + frontend.requestProducer, frontend.requestProducer == 1 {
                pushed = true
                frontend.push(blkifRequest(BLKIF_OP_READ, id: 2, segments: [(1, 0, 0)]))
            }
        }
        frontend.requestEvent = 0
        frontend.push(blkifRequest(BLKIF_OP_READ, id: 1, segments: [(1, 0, 0)]))
        _ = backend.serve()
        XCTAssertTrue(pushed)
        XCTAssertEqual(frontend.takeResponses().map { $0.id }, [1, 2])
        XCTAssertEqual(frontend.requestEvent, 3)
    }

    func testABusyFrontendGetsAnotherServeNotAnEndlessOne() {
        _ = grants.grant(1)
        var next: UInt64 = 0
        // A frontend that puts a new request each time one is served.
        disk.duringRead = { [unowned self] in
            next += 1
            frontend.push(blkifRequest(BLKIF_OP_READ, id: next, segments: [(1, 0, 0)]))
            frontend.responseEvent = frontend.responseProducer &+ 1
            _ = frontend.takeResponses()
        }
        frontend.push(blkifRequest(BLKIF_OP_READ, id: 0, segments: [(1, 0, 0)]))
        let outcome = backend.serve()
        XCTAssertTrue(outcome.moreWork)
        XCTAssertEqual(backend.requestsServed, BlockBackend.requestsPerServe)
    }
}
