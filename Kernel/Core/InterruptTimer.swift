/// The hardware timer the scheduler uses to take the CPU back from a guest
/// and to wake up from idle: Arch's local APIC timer, a fake in host tests.
/// Class-bound, because Embedded Swift has no value existentials.
protocol InterruptTimer: AnyObject {
    /// Raises the timer interrupt at system time `deadline` (ns since boot)
    /// or very soon after; a deadline already past fires at once. Replaces
    /// any earlier setting. While a guest runs, the interrupt makes it exit.
    func arm(at deadline: UInt64)

    /// Nothing can run: halts the CPU with interrupts enabled until an
    /// interrupt (normally the armed timer) arrives, then returns.
    func waitForInterrupt()
}
