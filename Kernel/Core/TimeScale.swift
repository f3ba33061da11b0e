/// Converts counter ticks (the TSC's) to nanoseconds the way Xen's
/// `vcpu_time_info` tells guests to (xen_shared_info.h):
///
///     ns = ((ticks << shift) * multiplier) >> 32      (shift may be negative)
///
/// `multiplier` is a 32-bit binary fraction, nanoseconds per shifted tick.
/// The shift is chosen so that the shifted frequency lies in (1 GHz, 2 GHz]:
/// then the fraction is in [0.5, 1), and its 32 bits keep every digit they
/// can. Guests and the hypervisor use the same pair, so they agree on the
/// time to the nanosecond.
struct TimeScale: Equatable {
    var multiplier: UInt32
    var shift: Int8

    static let nanosecondsPerSecond: UInt64 = 1_000_000_000

    init(multiplier: UInt32, shift: Int8) {
        self.multiplier = multiplier
        self.shift = shift
    }

    /// The scale for a counter that runs at `frequency` ticks per second
    /// (clamped to 1 Hz ... 2^60 Hz).
    init(frequency: UInt64) {
        let hertz = min(max(frequency, 1), 1 << 60)
        let second = Self.nanosecondsPerSecond
        var shift = 0
        while Self.shifted(hertz, by: shift) > 2 * second { shift -= 1 }
        while Self.shifted(hertz, by: shift) <= second { shift += 1 }
        // multiplier = 10^9 * 2^32 / (hertz * 2^shift), a value in [2^31, 2^32).
        // A negative shift drops low bits of the frequency first, an error
        // below 2^-30 since the shifted value is above 10^9.
        let quotient = (second << 32) / Self.shifted(hertz, by: shift)
        self.multiplier = UInt32(clamping: quotient)
        self.shift = Int8(shift)
    }

    /// Nanoseconds for `ticks` counter ticks.
    func nanoseconds(_ ticks: UInt64) -> UInt64 {
        let shifted = shift >= 0 ? ticks << UInt64(shift) : ticks >> UInt64(-Int(shift))
        let product = shifted.multipliedFullWidth(by: UInt64(multiplier))
        return (product.high << 32) | (product.low >> 32)
    }

    /// The counter's frequency as the scale describes it (Xen's formula:
    /// (10^9 << 32) / multiplier, shifted back).
    var frequency: UInt64 {
        guard multiplier > 0 else { return 0 }
        let perShiftedTick = (Self.nanosecondsPerSecond << 32) / UInt64(multiplier)
        return shift >= 0 ? perShiftedTick >> UInt64(shift) : perShiftedTick << UInt64(-Int(shift))
    }

    private static func shifted(_ value: UInt64, by shift: Int) -> UInt64 {
        shift >= 0 ? value << UInt64(shift) : value >> UInt64(-shift)
    }
}
