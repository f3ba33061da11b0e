@testable import KernelCore

/// A clock the test moves by hand, installed as the hypervisor's system
/// clock: a 1 GHz counter, so one tick is one nanosecond.
final class ManualClock {
    var now: UInt64 = 0

    /// Makes this the clock `SystemTime` reads, starting at 0.
    func install() {
        now = 0
        SystemTime.clock = SystemClock(frequency: TimeScale.nanosecondsPerSecond) { [unowned self] in now }
    }

    /// Puts back a clock that never moves (what Core has before boot).
    static func uninstall() {
        SystemTime.clock = SystemClock(frequency: TimeScale.nanosecondsPerSecond) { 0 }
    }
}

/// The scheduler's timer in a test: records what was armed; halting waits
/// until the armed time by moving the manual clock there.
final class ManualTimer: InterruptTimer {
    let clock: ManualClock
    private(set) var armed: UInt64? = nil
    private(set) var halts = 0
    /// How many times the scheduler armed it.
    private(set) var arms = 0

    init(clock: ManualClock) { self.clock = clock }

    func arm(at deadline: UInt64) {
        armed = deadline
        arms += 1
    }

    func waitForInterrupt() {
        halts += 1
        if let armed, armed > clock.now { clock.now = armed }
    }
}
