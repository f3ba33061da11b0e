/// System time: nanoseconds since boot, read from a free-running counter
/// (the TSC) whose frequency was measured once at boot.
///
/// There is one CPU and one clock, like Xen's NOW(): hypercalls that take an
/// absolute time (set_singleshot_timer, set_timer_op, SCHEDOP_poll) and the
/// scheduler all read `SystemTime.clock`. Guests read the same time through
/// their `vcpu_time_info` (GuestKit's SystemTimeReader), computed from the
/// same counter with the same `TimeScale`.
final class SystemClock {
    /// Counter ticks per second.
    let frequency: UInt64
    let scale: TimeScale
    /// The counter at system time 0.
    let bootCounter: UInt64
    private let readCounter: () -> UInt64

    init(frequency: UInt64, readCounter: @escaping () -> UInt64) {
        self.frequency = frequency
        self.scale = TimeScale(frequency: frequency)
        self.readCounter = readCounter
        self.bootCounter = readCounter()
    }

    /// Nanoseconds since boot.
    func now() -> UInt64 { reading().nanoseconds }

    /// The counter now, and the system time it stands for: the pair a
    /// `vcpu_time_info` publishes.
    func reading() -> (counter: UInt64, nanoseconds: UInt64) {
        let counter = readCounter()
        return (counter, scale.nanoseconds(counter &- bootCounter))
    }
}

/// The hypervisor's clock. Main installs the measured one at boot; until
/// then (and in host tests that do not set their own) it is a clock that
/// never moves.
enum SystemTime {
    nonisolated(unsafe) static var clock = SystemClock(frequency: TimeScale.nanosecondsPerSecond) { 0 }

    static func now() -> UInt64 { clock.now() }

    static let millisecond: UInt64 = 1_000_000
}
