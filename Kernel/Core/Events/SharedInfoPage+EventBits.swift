import XenPublic

/// The 2-level event bitmaps in shared_info: evtchn_pending (the hypervisor
/// sets a port's bit, the guest clears it once handled) and evtchn_mask (the
/// guest's: a masked port stays pending but notifies no vCPU; the
/// hypervisor clears a bit only for EVTCHNOP_unmask). Bit `port % 64` of
/// 64-bit word `port / 64`, the layout of a 64-bit guest.
///
/// Plain reads and writes: with one CPU the guest never runs while the
/// hypervisor does. With SMP these must become atomic bit operations (LOCK
/// BTS / BTR), as the guest's vCPUs on other CPUs change the same words.
extension SharedInfoPage {
    func isPending(_ port: EventChannelPort) -> Bool {
        pendingWord(of: port) { $0 & port.bitInWord != 0 }
    }

    /// Sets the port's pending bit; returns whether it was set already.
    func testAndSetPending(_ port: EventChannelPort) -> Bool {
        pendingWord(of: port) { word in
            defer { word |= port.bitInWord }
            return word & port.bitInWord != 0
        }
    }

    func clearPending(_ port: EventChannelPort) {
        pendingWord(of: port) { $0 &= ~port.bitInWord }
    }

    func isMasked(_ port: EventChannelPort) -> Bool {
        maskWord(of: port) { $0 & port.bitInWord != 0 }
    }

    /// Clears the port's mask bit; returns whether it was set.
    func testAndClearMask(_ port: EventChannelPort) -> Bool {
        maskWord(of: port) { word in
            defer { word &= ~port.bitInWord }
            return word & port.bitInWord != 0
        }
    }

    // The bitmaps are C arrays, tuples in Swift: reached as raw bytes, word
    // by word, with the struct's own layout (no offsets written here).

    private func pendingWord<Result>(of port: EventChannelPort, _ body: (inout UInt64) -> Result) -> Result {
        withUnsafeMutableBytes(of: &contents.pointee.evtchn_pending) { Self.word(port, in: $0, body) }
    }

    private func maskWord<Result>(of port: EventChannelPort, _ body: (inout UInt64) -> Result) -> Result {
        withUnsafeMutableBytes(of: &contents.pointee.evtchn_mask) { Self.word(port, in: $0, body) }
    }

    /// Runs `body` on the port's word and stores it back only if it changed,
    /// so that reading never writes the guest's page.
    private static func word<Result>(_ port: EventChannelPort, in words: UnsafeMutableRawBufferPointer,
                                     _ body: (inout UInt64) -> Result) -> Result {
        let offset = port.word * MemoryLayout<UInt64>.size
        let old = words.load(fromByteOffset: offset, as: UInt64.self)
        var new = old
        let result = body(&new)
        if new != old { words.storeBytes(of: new, toByteOffset: offset, as: UInt64.self) }
        return result
    }
}
