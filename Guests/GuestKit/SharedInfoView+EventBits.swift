import GuestSupport
import XenPublic

/// The 2-level event bits in shared_info, from the guest's side. Xen's
/// contract (the hypervisor's half: Kernel/Core/Events/Domain+EventDelivery.swift):
///
/// - `evtchn_pending`: bit `port % 64` of word `port / 64`. The hypervisor
///   sets it when an event comes; the guest clears it once it has seen it.
/// - `evtchn_mask`: the same layout, written by the guest. A masked port
///   stays pending and interrupts nobody until it is unmasked.
/// - a vCPU's `evtchn_pending_sel`: bit `w` means "look at word `w`", and
///   its `evtchn_upcall_pending`: "look at all". The hypervisor sets each
///   only when the bit before it was newly set, so the guest must clear
///   them in the reverse order: upcall_pending, then the selector, then the
///   port bits (`acknowledgeUpcall`). An event that comes in between then
///   sets them all again and is seen by the next pass: none is lost.
///
/// The hypervisor writes these words too. With one CPU it never runs while
/// the guest does; with SMP it may set bits from another CPU between a
/// guest's load and store, so every change here is one atomic instruction
/// (the helpers in GuestSupport.h: XCHG, LOCK AND, LOCK OR), which clears
/// or sets only the guest's bits and leaves the hypervisor's new ones.
extension SharedInfoView {
    /// Byte offsets of the bitmaps in struct shared_info and of the selector
    /// in struct vcpu_info (checked in Kernel/Public/AbiLayoutChecks.c).
    private static let pendingOffset = 2048
    private static let maskOffset = 2560
    private static let selectorOffset = 8

    func isPending(_ port: evtchn_port_t) -> Bool {
        volatile_read_u64(word(Self.pendingOffset, port)) & bit(port) != 0
    }

    /// Sleeps until `port` is pending (SCHEDOP_poll on `pollList`, which
    /// holds it, made once by the caller so the wait allocates nothing),
    /// then clears it. A failed poll yields instead.
    func waitForEvent(on port: evtchn_port_t, pollList: [evtchn_port_t]) {
        while !isPending(port) {
            do throws(HypercallFailure) { try SchedOp.poll(ports: pollList) } catch { try? SchedOp.yield() }
        }
        clearPending(port)
    }

    /// Marks the event as seen.
    func clearPending(_ port: evtchn_port_t) {
        atomic_clear_bits_u64(word(Self.pendingOffset, port), bit(port))
    }

    func isMasked(_ port: evtchn_port_t) -> Bool {
        volatile_read_u64(word(Self.maskOffset, port)) & bit(port) != 0
    }

    /// Masks the port: its events stay pending and interrupt nobody.
    func setMask(_ port: evtchn_port_t) {
        atomic_set_bits_u64(word(Self.maskOffset, port), bit(port))
    }

    /// Unmasks the port without telling the hypervisor: an event that came
    /// while it was masked stays pending, unnoticed, until the guest scans
    /// for it. EventChannelOp.unmask delivers it instead.
    func clearMask(_ port: evtchn_port_t) {
        atomic_clear_bits_u64(word(Self.maskOffset, port), bit(port))
    }

    /// Acknowledges vCPU `index`'s upcall and hands `handle` every port that
    /// was pending and not masked, once, lowest first within each word,
    /// after clearing its pending bit. Masked ports keep their pending bit.
    /// Runs with interrupts off (the upcall's handler, or code that polls).
    func acknowledgeUpcall(vcpu index: Int = 0, _ handle: (evtchn_port_t) -> Void) {
        let info = vcpuInfo(index)
        // A plain byte store is enough: the hypervisor only ever sets this
        // byte, and the XCHG below is a full barrier that orders it first.
        info.pointee.evtchn_upcall_pending = 0
        let selector = UnsafeMutableRawPointer(info).advanced(by: Self.selectorOffset)
            .assumingMemoryBound(to: UInt64.self)
        var words = atomic_exchange_u64(selector, 0)
        while words != 0 {
            let wordIndex = words.trailingZeroBitCount
            words &= words - 1
            let pending = wordPointer(Self.pendingOffset, wordIndex)
            let mask = wordPointer(Self.maskOffset, wordIndex)
            let ready = volatile_read_u64(pending) & ~volatile_read_u64(mask)
            atomic_clear_bits_u64(pending, ready)
            var bits = ready
            while bits != 0 {
                handle(evtchn_port_t(wordIndex * 64 + bits.trailingZeroBitCount))
                bits &= bits - 1
            }
        }
    }

    private func bit(_ port: evtchn_port_t) -> UInt64 { 1 << UInt64(port % 64) }

    /// The bitmap word that holds `port`'s bit (ports beyond 4095 have none:
    /// they wrap, so callers pass ports the hypervisor gave them).
    private func word(_ bitmapOffset: Int, _ port: evtchn_port_t) -> UnsafeMutablePointer<UInt64> {
        wordPointer(bitmapOffset, Int(port / 64) % 64)
    }

    private func wordPointer(_ bitmapOffset: Int, _ index: Int) -> UnsafeMutablePointer<UInt64> {
        UnsafeMutablePointer<UInt64>(bitPattern: UInt(address) + UInt(bitmapOffset))! + index
    }
}
