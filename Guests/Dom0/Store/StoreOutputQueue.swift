/// Messages a connection has yet to put on its ring, oldest first, with
/// how far the first one got (a message may go out in pieces as the guest
/// makes room).
struct StoreOutputQueue {
    private var messages: [[UInt8]] = []
    private var sentOfFirst = 0
    /// Bytes still to send.
    private(set) var byteCount = 0

    var isEmpty: Bool { messages.isEmpty }

    mutating func append(_ bytes: [UInt8]) {
        messages.append(bytes)
        byteCount += bytes.count
    }

    /// The unsent part of the oldest message.
    var next: ArraySlice<UInt8>? { messages.first.map { $0[sentOfFirst...] } }

    /// `count` bytes of `next` have gone out.
    mutating func consume(_ count: Int) {
        sentOfFirst += count
        byteCount -= count
        if let first = messages.first, sentOfFirst == first.count {
            messages.removeFirst()
            sentOfFirst = 0
        }
    }

    /// Takes every whole message out (a local connection's caller reads
    /// them so; only valid when none was sent in part).
    mutating func takeAll() -> [[UInt8]] {
        let all = messages
        messages = []
        sentOfFirst = 0
        byteCount = 0
        return all
    }
}
