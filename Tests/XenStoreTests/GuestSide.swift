import XenPublic
@testable import XenStore

/// What a guest's xenbus driver does with its ring page, for tests: put
/// request bytes on `req`, take reply bytes off `rsp`.
struct GuestSide {
    let page: UnsafeMutableRawPointer

    private func index(_ offset: Int) -> UInt32 { page.load(fromByteOffset: offset, as: UInt32.self) }
    private func setIndex(_ offset: Int, _ value: UInt32) { page.storeBytes(of: value, toByteOffset: offset, as: UInt32.self) }

    var requestProducer: UInt32 {
        get { index(2052) }
        nonmutating set { setIndex(2052, newValue) }
    }
    var requestConsumer: UInt32 { index(2048) }
    var responseConsumer: UInt32 {
        get { index(2056) }
        nonmutating set { setIndex(2056, newValue) }
    }
    var responseProducer: UInt32 { index(2060) }
    var error: UInt32 { index(2072) }

    /// Writes as many of `bytes` as fit, advances req_prod; returns how many.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Int {
        let room = Int(StoreRingPage.ringSize - (requestProducer &- requestConsumer))
        let count = min(room, bytes.count)
        for i in 0..<count {
            let position = Int((requestProducer &+ UInt32(i)) & 1023)
            page.storeBytes(of: bytes[i], toByteOffset: position, as: UInt8.self)
        }
        requestProducer &+= UInt32(count)
        return count
    }

    /// Takes every byte waiting on `rsp`.
    func receiveBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        while responseConsumer != responseProducer {
            let position = Int(responseConsumer & 1023)
            bytes.append(page.load(fromByteOffset: 1024 + position, as: UInt8.self))
            responseConsumer &+= 1
        }
        return bytes
    }

    /// The whole messages in `bytes`.
    static func messages(in bytes: [UInt8]) -> [StoreMessage] {
        var messages: [StoreMessage] = []
        var rest = bytes[...]
        while rest.count >= 16 {
            let header = StoreMessage.header(of: Array(rest.prefix(16)))
            let end = 16 + Int(header.length)
            guard rest.count >= end else { break }
            let body = Array(rest.dropFirst(16).prefix(Int(header.length)))
            messages.append(StoreMessage(type: header.type, requestID: header.requestID,
                                         transactionID: header.transactionID, payload: body))
            rest = rest.dropFirst(end)
        }
        return messages
    }
}
