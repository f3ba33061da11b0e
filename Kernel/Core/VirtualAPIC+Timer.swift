/// The APIC timer (Intel SDM Vol. 3A, 10.5.4): a 32-bit counter loaded from
/// the initial-count register that counts down at the bus clock divided by
/// the divide configuration, and raises the LVT timer entry's vector when it
/// reaches 0: once (one-shot), or every time, reloading (periodic).
///
/// There is no counter here: the timer keeps the system time (ns) at which
/// the count reaches 0, and the current count is worked out from how far
/// away that is. The bus runs at 100 MHz, one tick every 10 ns, as in Xen's
/// vlapic (APIC_BUS_CYCLE_NS). A guest that wants the frequency measures
/// it, as Linux does; nothing in CPUID claims another.
extension VirtualAPIC {
    static let busCycleNanoseconds: UInt64 = 10

    /// The divide configuration's divisor (10.5.4, figure 10-10): bits 0, 1
    /// and 3 hold a 3-bit value n; the bus clock is divided by 2^(n+1),
    /// where 0b111 stands for 1.
    var timerDivisor: UInt64 {
        let n = (timerDivideConfiguration & 0b11) | ((timerDivideConfiguration & 0b1000) >> 1)
        return 1 << UInt64((n + 1) & 0b111)
    }

    /// One count of the timer, in ns.
    var timerTickNanoseconds: UInt64 { Self.busCycleNanoseconds * timerDivisor }

    var isPeriodicTimer: Bool { timerEntry & LocalVectorTableEntry.periodicTimer != 0 }

    /// When the scheduler should call `fireTimer`, if the timer runs.
    var nextTimerDeadline: UInt64? { timerDeadline }

    /// The current-count register at `now`: counting down from the initial
    /// count, 0 once a one-shot count has run out (and while stopped). A
    /// periodic count that the scheduler has not reloaded yet reads as
    /// reloaded.
    func timerCurrentCount(now: UInt64) -> UInt32 {
        guard let deadline = timerDeadline, timerInitialCount > 0 else { return 0 }
        let tick = timerTickNanoseconds
        if now < deadline {
            let remaining = (deadline - now + tick - 1) / tick
            return UInt32(min(remaining, UInt64(timerInitialCount)))
        }
        guard isPeriodicTimer else { return 0 }
        let intoNextPeriod = ((now - deadline) / tick) % UInt64(timerInitialCount)
        return timerInitialCount - UInt32(intoNextPeriod)
    }

    /// A write to the initial-count register: the count starts again from
    /// `count` at `now`; 0 stops the timer (10.5.4).
    func setTimerInitialCount(_ count: UInt32, now: UInt64) {
        timerInitialCount = count
        timerDeadline = count == 0 ? nil : now + UInt64(count) * timerTickNanoseconds
    }

    /// A write to the divide configuration (already checked: bits 0, 1 and
    /// 3 only). A running count goes on from where it is, at the new rate.
    func setTimerDivideConfiguration(_ value: UInt32, now: UInt64) {
        let remaining = UInt64(timerCurrentCount(now: now))
        timerDivideConfiguration = value
        if timerDeadline != nil {
            timerDeadline = remaining == 0 ? nil : now + remaining * timerTickNanoseconds
        }
    }

    /// The count reached 0 if `now` is at or past the deadline: the LVT
    /// timer's vector becomes pending unless the entry is masked (the count
    /// runs either way, 10.5.4). A periodic timer reloads and gets its next
    /// deadline, past `now`: periods the scheduler missed make one
    /// interrupt, as the IRR has one bit per vector. Returns whether the
    /// count reached 0.
    @discardableResult
    func fireTimer(now: UInt64) -> Bool {
        guard let deadline = timerDeadline, deadline <= now else { return false }
        if timerEntry & LocalVectorTableEntry.masked == 0 {
            requestInterrupt(vector: UInt8(timerEntry & LocalVectorTableEntry.vectorBits))
        }
        if isPeriodicTimer {
            let period = UInt64(timerInitialCount) * timerTickNanoseconds
            timerDeadline = now + period - (now - deadline) % period
        } else {
            timerDeadline = nil
        }
        return true
    }
}
