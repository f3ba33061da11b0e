import GuestSupport

/// Numbered lines with busy work in between. The work never leaves the
/// guest (no hypercall, no yield), so when two workers' lines interleave in
/// the transcript, the hypervisor's scheduler preempted one for the other.
enum Counting {
    /// Enough volatile adds that a line takes a visible share of a time
    /// slice under QEMU, few enough that a test stays quick.
    static let defaultBusyIterations: UInt64 = 300_000

    static func printLines(_ count: UInt64, busyIterations: UInt64) {
        guard count > 0 else { return }
        for line in 1...count {
            print("worker: line \(line) of \(count)")
            busy_loop(busyIterations)
        }
    }
}
