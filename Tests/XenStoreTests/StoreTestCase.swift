import XCTest
import XenPublic
@testable import XenStore

/// Helpers shared by the store tests: bytes from text, requests from a
/// client, and the replies they get.
class StoreTestCase: XCTestCase {
    var bridge: FakeBridge!
    var store: XenStore!
    var dom0: StoreConnection!

    override func setUp() {
        bridge = FakeBridge()
        store = XenStore(bridge: bridge, quotas: quotas())
        dom0 = store.openLocalConnection()
    }

    /// Tests that need other limits override this.
    func quotas() -> StoreQuotas { StoreQuotas() }

    func b(_ text: String) -> [UInt8] { Array(text.utf8) }
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Sends one request on `connection` and returns its reply (watch
    /// events that came with it stay in `events`).
    @discardableResult
    func request(_ type: xsd_sockmsg_type, _ payload: [UInt8], on connection: StoreConnection? = nil,
                 transaction: UInt32 = 0, id: UInt32 = 7) -> StoreMessage {
        let connection = connection ?? dom0!
        store.handle(StoreMessage(type: type.rawValue, requestID: id, transactionID: transaction, payload: payload),
                     from: connection)
        var reply: StoreMessage?
        for message in connection.takeMessages() {
            if message.type == XS_WATCH_EVENT.rawValue { events[ObjectIdentifier(connection), default: []].append(message) }
            else { reply = message }
        }
        return reply!
    }

    var events: [ObjectIdentifier: [StoreMessage]] = [:]

    /// The watch events `connection` got since the last call, as "path token".
    func takeEvents(_ connection: StoreConnection? = nil) -> [String] {
        let connection = connection ?? dom0!
        for message in connection.takeMessages() where message.type == XS_WATCH_EVENT.rawValue {
            events[ObjectIdentifier(connection), default: []].append(message)
        }
        let list = events.removeValue(forKey: ObjectIdentifier(connection)) ?? []
        return list.map { event in
            let parts = event.payload.split(separator: 0, omittingEmptySubsequences: false)
            return text(Array(parts[0])) + " " + text(Array(parts[1]))
        }
    }

    /// "OK", a value, or the error's name.
    func answer(_ reply: StoreMessage) -> String {
        var payload = reply.payload
        if reply.type != XS_READ.rawValue, payload.last == 0 { payload.removeLast() }
        return reply.type == XS_ERROR.rawValue ? "error " + text(payload) : text(payload)
    }

    func write(_ path: String, _ value: String, on connection: StoreConnection? = nil, transaction: UInt32 = 0) -> String {
        answer(request(XS_WRITE, b(path) + [0] + b(value), on: connection, transaction: transaction))
    }

    func read(_ path: String, on connection: StoreConnection? = nil, transaction: UInt32 = 0) -> String {
        answer(request(XS_READ, b(path) + [0], on: connection, transaction: transaction))
    }

    /// A domU's connection without a ring, so its replies and events wait
    /// in the connection (the ring tests introduce domains for real).
    func domU(_ domain: UInt16) -> StoreConnection {
        let connection = StoreConnection(domain: domain, ring: nil)
        store.domainConnections[domain] = connection
        return connection
    }

    /// The home of `domain`, created by dom0 and given to it, as a
    /// toolstack does.
    func makeHome(_ domain: UInt16) {
        XCTAssertEqual(write("/local/domain/\(domain)", ""), "OK")
        XCTAssertEqual(answer(request(XS_SET_PERMS, b("/local/domain/\(domain)\u{0}n\(domain)\u{0}"))), "OK")
    }
}
