import Support

/// The scheduler's `InterruptTimer`: the local APIC timer in one-shot mode
/// on `InterruptVector.timer`, armed for a system time.
///
/// How its interrupt reaches the hypervisor: while a guest runs, it makes
/// the guest exit (VMX: external-interrupt exiting, acknowledged on exit,
/// the backend sends the EOI; SVM: the INTR intercept, then the stub in
/// InterruptEntry.S takes it after the exit and sends the EOI). In idle,
/// HLT wakes and the same stub runs.
final class LocalAPICTimer: InterruptTimer {
    /// APIC timer ticks per second (bus clock / 16).
    let frequency: UInt64

    /// The deadline the timer is armed for, as a system time and as the
    /// TSC value at that time. The VMX backend arms its preemption timer,
    /// which counts TSC ticks, for the same deadline before every entry:
    /// the TSC value, worked out once here, spares every entry the
    /// conversion from nanoseconds (a division) and the clock's look-up.
    struct Deadline {
        var systemTime: UInt64
        var timeStampCounter: UInt64
    }

    nonisolated(unsafe) private(set) static var armed = Deadline(systemTime: .max, timeStampCounter: .max)

    init(frequency: UInt64) {
        self.frequency = max(frequency, 1)
    }

    /// Calibrates the TSC and the APIC timer against the PIT, installs the
    /// system clock, and returns the timer ready to arm. Without a working
    /// PIT the rates are guesses (said so in the log): time still moves,
    /// only not at the right speed.
    static func start() -> LocalAPICTimer {
        guard LocalAPIC.enable() else {
            Log.error("time: this CPU has no usable local APIC; no preemption, no timers")
            MachineExit.exit(.failure, reason: "no local APIC")
        }
        let measured = TimerCalibration.measure()
        let rates = measured ?? guessedRates()
        let source = measured.map { "measured against the PIT, to \($0.uncertaintyPPM) ppm" } ?? "guessed"
        SystemTime.clock = SystemClock(frequency: rates.tscFrequency) { read_tsc() }
        LocalAPIC.write(LocalAPIC.Register.timerVector, UInt32(InterruptVector.timer))  // one-shot, unmasked
        let scale = SystemTime.clock.scale
        Log.info("time: TSC \(kilohertz(rates.tscFrequency)) kHz, APIC timer \(kilohertz(rates.apicTimerFrequency)) kHz (\(source)); scale \(scale.multiplier) >> 32, shift \(scale.shift)")
        return LocalAPICTimer(frequency: rates.apicTimerFrequency)
    }

    private static func guessedRates() -> PITCalibration.Rates {
        Log.warning("time: the PIT did not count; guessing a 1 GHz TSC and a 62.5 MHz APIC timer")
        return PITCalibration.Rates(tscFrequency: 1_000_000_000, apicTimerFrequency: 62_500_000, uncertaintyPPM: 1_000_000)
    }

    private static func kilohertz(_ hertz: UInt64) -> UInt64 { hertz / 1000 }

    /// One-shot: the count runs down from the initial count once, then the
    /// interrupt. Writing the initial count restarts it, so re-arming needs
    /// no stop first. The count is rounded up, so the interrupt does not
    /// come before the deadline by the APIC's clock; the scheduler checks
    /// the TSC anyway and re-arms if it came early.
    func arm(at deadline: UInt64) {
        // Most exits change nothing: the same deadline is still counting
        // down. Skipping the re-arm keeps the exit path short.
        if deadline == Self.armed.systemTime && LocalAPIC.read(LocalAPIC.Register.timerCurrentCount) != 0 { return }
        let clock = SystemTime.clock
        let now = clock.reading()
        let wait = deadline > now.nanoseconds ? deadline - now.nanoseconds : 0
        // A wait too long to convert in 64 bits: as many TSC ticks as it can
        // still count, and the largest APIC count; the scheduler re-arms
        // when they are up.
        let timeStampCounterTicks = Self.ticks(wait, frequency: clock.frequency, roundingUp: false) ?? UInt64.max / 2
        Self.armed = Deadline(systemTime: deadline, timeStampCounter: now.counter &+ timeStampCounterTicks)
        let count = Self.ticks(wait, frequency: frequency, roundingUp: true).map { UInt32(clamping: $0) } ?? UInt32.max
        LocalAPIC.write(LocalAPIC.Register.timerInitialCount, max(count, 1))
    }

    /// `wait` nanoseconds in ticks of a `frequency` Hz counter, rounded down
    /// or up; nil when the product does not fit in 64 bits.
    private static func ticks(_ wait: UInt64, frequency: UInt64, roundingUp: Bool) -> UInt64? {
        let (product, overflow) = wait.multipliedReportingOverflow(by: frequency)
        if overflow { return nil }
        let whole = product / TimeScale.nanosecondsPerSecond
        return roundingUp && product % TimeScale.nanosecondsPerSecond != 0 ? whole + 1 : whole
    }

    func waitForInterrupt() {
        interrupts_enable_and_halt()
    }
}
