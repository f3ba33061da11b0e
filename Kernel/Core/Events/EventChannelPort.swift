/// A port: the number that names one event channel within one domain
/// (evtchn_port_t). Each end of an interdomain channel has its own port, in
/// its own domain.
struct EventChannelPort: Equatable, Hashable {
    let number: UInt32

    init(_ number: UInt32) { self.number = number }

    /// Port 0 is never handed out (Xen reserves it), so that 0 can mean
    /// "no port" in the tables that record bindings.
    static let reserved = EventChannelPort(0)

    /// Where the port is in the 2-level bitmaps of a 64-bit guest:
    /// evtchn_pending and evtchn_mask are 64 words of 64 bits, and bit
    /// `word` of a vCPU's evtchn_pending_sel says "look at that word".
    var word: Int { Int(number / 64) }
    var bitInWord: UInt64 { 1 << UInt64(number % 64) }
    var selectorBit: UInt64 { 1 << UInt64(word) }
}
