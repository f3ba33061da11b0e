import GuestSupport
import XenPublic

/// A benchmark guest: boot it as dom0 and it prints a table of what the
/// shortest guest -> hypervisor -> guest paths cost, in TSC ticks per
/// operation (an exit, hypercalls, an event-channel send with and without
/// its upcall), then powers off.
///
/// Under `xtool boot --icount` (QEMU with -icount shift=0) the TSC advances
/// one tick per executed instruction, guest and hypervisor alike, so the
/// numbers are exact, repeatable instruction counts of the whole round trip.
/// On other machines they are TSC ticks, and only as good as that clock.
@_cdecl("guest_main")
func guestMain(_ startInfoAddress: UInt64) {
    let iterations: UInt64 = 1000
    print("bench: \(iterations) iterations per path; ticks are TSC ticks (instructions under --icount)")
    let baseline = measure(iterations) { }
    let rows: [(String, UInt64)] = [
        ("empty loop (baseline)", baseline),
        ("CPUID leaf 0x40000000 (exit)", measure(iterations) { _ = cpuid(0x4000_0000, 0) }),
        ("xen_version(XENVER_version)", measure(iterations) {
            _ = Hypercall.call(UInt64(__HYPERVISOR_xen_version), UInt64(XENVER_version))
        }),
        ("unknown hypercall 99 (-ENOSYS)", measure(iterations) { _ = Hypercall.callDirect(99) }),
    ] + EventChannelBench.rows(iterations)
    print("bench: " + padded("path", 40) + padded("ticks/op", 12) + "minus baseline")
    for (name, ticks) in rows {
        let net = ticks >= baseline ? ticks - baseline : 0
        print("bench: " + padded(name, 40) + padded("\(ticks)", 12) + "\(net)")
    }
    SchedOp.shutdown(.poweroff)
}

/// The event-channel rows: the cost of raising an event on the guest's own
/// IPI port, first without an upcall (the guest clears the bits itself,
/// as a guest that polls does), then with the upcall delivered and taken.
enum EventChannelBench {
    static func rows(_ iterations: UInt64) -> [(String, UInt64)] {
        do throws(HypercallFailure) {
            let page = try SharedInfoView.map()
            let port = try EventChannelOp.bindInterProcessor()
            // No callback vector yet: the send sets the port's bit, the
            // selector bit and evtchn_upcall_pending, and that is all.
            // Clearing all three as the handler would makes every send take
            // that whole path, not stop at a bit that is still set.
            let sendOnly = measure(iterations) {
                try? EventChannelOp.send(port)
                page.acknowledgeUpcall { _ in }
            }
            // With the vector: the send, the injection at the next entry,
            // the handler (UpcallEntry.S and Upcall.handle), and IRETQ.
            try Upcall.install()
            let roundTrip = measure(iterations) {
                let before = Upcall.count(of: port)
                cpu_enable_interrupts()
                try? EventChannelOp.send(port)
                while Upcall.count(of: port) == before {}
                cpu_disable_interrupts()
            }
            try Upcall.remove()
            try EventChannelOp.close(port)
            return [("event channel send to self (no upcall)", sendOnly),
                    ("event channel send + upcall round trip", roundTrip)]
        } catch {
            print("bench: event channels: \(error.name) (\(error.result)): no rows for them")
            return []
        }
    }
}

/// Average TSC ticks of one run of `body`, over `iterations` runs, loop
/// overhead included (hence the baseline row).
private func measure(_ iterations: UInt64, _ body: () -> Void) -> UInt64 {
    body()                                   // warm up: first-touch costs are not the path's
    let start = read_tsc()
    for _ in 0..<iterations { body() }
    let end = read_tsc()
    return (end &- start) / iterations
}

/// `text` followed by spaces up to `width` bytes (ASCII only).
private func padded(_ text: String, _ width: Int) -> String {
    let length = text.utf8.count
    return length >= width ? text + " " : text + String(repeating: " ", count: width - length)
}
