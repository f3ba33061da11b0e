import XCTest
import XenPublic
@testable import XenStore

/// The ring protocol, driven as a guest's xenbus would drive it.
final class StoreRingTests: StoreTestCase {
    private var guest: GuestSide!
    private var connection: StoreConnection!

    override func setUp() {
        super.setUp()
        XCTAssertEqual(answer(request(XS_INTRODUCE, b("2\0" + "4660\0" + "7\0"))), "OK")
        connection = store.connection(of: 2)
        guest = GuestSide(page: bridge.pages[2]!)
        makeHome(2)
    }

    private func message(_ type: xsd_sockmsg_type, _ payload: [UInt8], id: UInt32 = 1) -> [UInt8] {
        StoreMessage(type: type.rawValue, requestID: id, payload: payload).encoded
    }

    private func replies() -> [StoreMessage] { GuestSide.messages(in: guest.receiveBytes()) }

    func testIntroduceConnectsTheRingAndItsPort() {
        XCTAssertNotNil(store.connection(atLocalPort: 102))
        XCTAssertEqual(answer(request(XS_IS_DOMAIN_INTRODUCED, b("2\0"))), "T")
        XCTAssertEqual(answer(request(XS_INTRODUCE, b("2\0" + "4660\0" + "7\0"))), "OK")
        XCTAssertEqual(answer(request(XS_INTRODUCE, b("2\0" + "1\0" + "7\0"))), "error EEXIST")
        XCTAssertEqual(answer(request(XS_INTRODUCE, b("5\0" + "1\0" + "7\0"), on: domU(4))), "error EACCES")
        bridge.refuseMapping = true
        XCTAssertEqual(answer(request(XS_INTRODUCE, b("6\0" + "1\0" + "7\0"))), "error EINVAL")
    }

    func testARequestOnTheRingGetsItsReplyAndANotification() {
        guest.send(message(XS_WRITE, b("key\0value"), id: 42))
        store.service(connection)
        let reply = replies()
        XCTAssertEqual(reply.count, 1)
        XCTAssertEqual(reply.first?.requestID, 42)
        XCTAssertEqual(reply.first.map { answer($0) }, "OK")
        XCTAssertEqual(guest.requestConsumer, guest.requestProducer)
        XCTAssertEqual(bridge.notifications, [102])
        XCTAssertEqual(read("/local/domain/2/key"), "value")
        XCTAssertGreaterThan(bridge.barriers, 0)
    }

    /// A change made by someone else (dom0's toolstack here) fires the
    /// domain's watch: the event goes into its ring at once, and the domain
    /// is told, or a guest asleep on its port would never see it.
    func testAWatchFiredByAnotherClientNotifiesTheDomain() {
        guest.send(message(XS_WATCH, b("control/shutdown\0tok\0"), id: 5))
        store.service(connection)
        _ = replies()
        bridge.notifications = []
        XCTAssertEqual(write("/local/domain/2/control/shutdown", "poweroff"), "OK")
        let events = replies().filter { $0.type == XS_WATCH_EVENT.rawValue }
        XCTAssertEqual(events.map { text($0.payload) }, ["control/shutdown\0tok\0"])
        XCTAssertEqual(bridge.notifications, [102])
    }

    func testAMessageInPiecesIsHandledOnceWhole() {
        let bytes = message(XS_WRITE, b("piece\0wise"))
        guest.send(Array(bytes[0..<10]))
        store.service(connection)
        XCTAssertEqual(replies().count, 0)
        guest.send(Array(bytes[10..<20]))
        store.service(connection)
        XCTAssertEqual(replies().count, 0)
        guest.send(Array(bytes[20...]))
        store.service(connection)
        XCTAssertEqual(replies().map { answer($0) }, ["OK"])
        XCTAssertEqual(read("piece", on: domU(2)), "wise")
    }

    func testMessagesAcrossTheWrapOfBothRings() {
        // Move all four indexes close to 2^32 and to the end of the ring.
        let start: UInt32 = 0xFFFF_FFF0 &- 1000
        for offset in [2048, 2052, 2056, 2060] { guest.page.storeBytes(of: start, toByteOffset: offset, as: UInt32.self) }
        var answers: [String] = []
        for i in 0..<30 {
            guest.send(message(XS_WRITE, b("w\(i)\0" + String(repeating: "v", count: 40)), id: UInt32(i)))
            store.service(connection)
            answers += replies().map { answer($0) }
        }
        XCTAssertEqual(answers, Array(repeating: "OK", count: 30))
        XCTAssertLessThan(guest.requestProducer, start)   // it wrapped past 2^32
        XCTAssertEqual(read("w29", on: domU(2)), String(repeating: "v", count: 40))
    }

    func testAnOversizeMessageBreaksTheConnection() {
        var header = StoreMessage(type: XS_WRITE.rawValue, payload: []).encoded
        header[12] = 0x01; header[13] = 0x10   // len = 4097
        guest.send(header)
        store.service(connection)
        XCTAssertTrue(connection.isBroken)
        XCTAssertEqual(guest.error, UInt32(XENSTORE_ERROR_PROTO))
        guest.send(message(XS_READ, b("key\0")))
        store.service(connection)
        XCTAssertEqual(replies().count, 0)
    }

    func testAProducerTooFarAheadBreaksTheConnection() {
        guest.requestProducer = guest.requestConsumer &+ 5000
        store.service(connection)
        XCTAssertTrue(connection.isBroken)
        XCTAssertEqual(guest.error, UInt32(XENSTORE_ERROR_RINGIDX))
    }

    func testRepliesWaitWhenTheResponseRingIsFullAndFlowWhenTheGuestReads() {
        XCTAssertEqual(write("/local/domain/2/big", String(repeating: "b", count: 900)), "OK")
        for i in 0..<3 { guest.send(message(XS_READ, b("big\0"), id: UInt32(i))) }
        store.service(connection)
        // 3 replies of 916 bytes do not fit in 1024: the ring is full.
        XCTAssertEqual(guest.responseProducer &- guest.responseConsumer, 1024)
        XCTAssertGreaterThan(connection.queuedOutputBytes, 0)
        var received = guest.receiveBytes()
        store.service(connection)
        received += guest.receiveBytes()
        store.service(connection)
        received += guest.receiveBytes()
        let messages = GuestSide.messages(in: received)
        XCTAssertEqual(messages.map(\.requestID), [0, 1, 2])
        XCTAssertEqual(messages.map { $0.payload.count }, [900, 900, 900])
        XCTAssertEqual(connection.queuedOutputBytes, 0)
    }

    func testAGuestThatNeverReadsStopsBeingServedButCostsBoundedMemory() {
        XCTAssertEqual(write("/local/domain/2/big", String(repeating: "b", count: 2000)), "OK")
        for round in 0..<100 {
            while guest.send(message(XS_READ, b("big\0"), id: UInt32(round))) > 0 {}
            store.service(connection)
        }
        XCTAssertLessThanOrEqual(connection.queuedOutputBytes, store.quotas.queuedOutputBytes + 4096 + 16)
    }

    func testWatchEventsGoOutOnTheRing() {
        guest.send(message(XS_WATCH, b("data\0tok\0")))
        store.service(connection)
        XCTAssertEqual(write("/local/domain/2/data", "1"), "OK")
        let messages = replies()
        XCTAssertEqual(messages.map(\.type), [XS_WATCH.rawValue, XS_WATCH_EVENT.rawValue, XS_WATCH_EVENT.rawValue])
        XCTAssertEqual(messages.filter { $0.type == XS_WATCH_EVENT.rawValue }.map(\.payload), [b("data\0tok\0"), b("data\0tok\0")])
    }

    func testReleaseUnmapsAndUnbinds() {
        XCTAssertEqual(answer(request(XS_RELEASE, b("2\0"))), "OK")
        XCTAssertEqual(bridge.unmapped, [2])
        XCTAssertEqual(bridge.unbound, [102])
        XCTAssertNil(store.connection(of: 2))
        XCTAssertEqual(answer(request(XS_RELEASE, b("2\0"))), "error ENOENT")
        XCTAssertEqual(read("/local/domain/2"), "")   // its nodes stay
    }
}
