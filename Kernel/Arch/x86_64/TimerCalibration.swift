import Support

/// Measures how fast the TSC and the local APIC timer run, against the one
/// clock whose rate every PC agrees on: the 8254 PIT's 1.193182 MHz input.
/// Under an emulator these are the emulated rates (QEMU -icount: one TSC
/// tick per instruction; Bochs: per its ips setting), which is what guests
/// will see too.
enum TimerCalibration {
    static let pitFrequency: UInt64 = 1_193_182
    /// About 10 ms of PIT ticks.
    static let pitTicks: UInt64 = 11_932
    /// The APIC timer counts its bus clock divided by 16 (divide
    /// configuration 0b0011): a 32-bit count then lasts over a minute even
    /// at a 1 GHz bus.
    static let apicDivideBy16: UInt32 = 0x3
    /// Enough polls of the PIT for 10 ms on any machine or emulator seen;
    /// a PIT that never answers must not hang the boot.
    static let pollLimit = 50_000_000
    /// Windows tried before giving up on two that agree.
    static let attempts = 12

    struct Rates {
        var tscFrequency: UInt64
        var apicTimerFrequency: UInt64
    }

    /// One measurement and how far off it may be, both in TSC ticks.
    private struct Window {
        var tscTicks: UInt64
        var apicTicks: UInt64
        var uncertainty: UInt64

        var rates: Rates {
            Rates(tscFrequency: tscTicks * pitFrequency / pitTicks,
                  apicTimerFrequency: apicTicks * pitFrequency / pitTicks)
        }
    }

    /// The first window known to within 0.2% that agrees within 0.2% with
    /// the one before it, or, if no two do, the shortest of `attempts`.
    ///
    /// On hardware the first two agree. Under an emulator whose host is
    /// busy, a window can be wrong by far more than its edges show:
    /// QEMU's PIT, read through port 0x61, was seen to report its count
    /// done tens of milliseconds late while both the TSC and the APIC timer
    /// ran on (a loaded host gave 3.5 to 11 GHz for a 2.4 GHz TSC, each
    /// window precise by its own measure). Such windows scatter, and only
    /// ever long (the PIT late, never early), so two in a row that agree
    /// are taken as right, and the shortest window is what is left when
    /// none do. Nil if the PIT does not count.
    static func measure() -> Rates? {
        var windows: [Window] = []
        for _ in 0..<attempts {
            guard let window = measureWindow() else { return nil }
            Log.debug("time: PIT window: TSC \(window.rates.tscFrequency) Hz, APIC timer \(window.rates.apicTimerFrequency) Hz, uncertain by \(window.uncertainty) TSC ticks")
            if window.uncertainty * 500 < window.tscTicks, let last = windows.last,
               last.uncertainty * 500 < last.tscTicks, agree(last, window) {
                return window.rates
            }
            windows.append(window)
        }
        Log.warning("time: no two PIT windows agreed; taking the shortest of \(windows.count): the clock may run a little fast or slow")
        let precise = windows.filter { $0.uncertainty * 500 < $0.tscTicks }
        return (precise.isEmpty ? windows : precise).min { $0.tscTicks < $1.tscTicks }?.rates
    }

    /// Within 0.2% of each other.
    private static func agree(_ a: Window, _ b: Window) -> Bool {
        let difference = a.tscTicks > b.tscTicks ? a.tscTicks - b.tscTicks : b.tscTicks - a.tscTicks
        return difference * 500 < max(a.tscTicks, b.tscTicks)
    }

    /// Counts TSC and APIC timer ticks during `pitTicks` of the PIT.
    ///   1. APIC timer: divide by 16, masked, one-shot, counting down from
    ///      the largest count (no interrupt: it is only read);
    ///   2. port 0x61: gate of PIT channel 2 on (bit 0), speaker off (bit 1);
    ///   3. port 0x43: control word 0xB0: channel 2, low byte then high byte,
    ///      mode 0 ("interrupt on terminal count"), binary: its output
    ///      (port 0x61 bit 5) goes low;
    ///   4. port 0x42: the count, low byte then high byte: the high byte
    ///      starts the count; TSC read just before and after it, and the
    ///      APIC's current count in between;
    ///   5. poll port 0x61 until bit 5 is high: the count reached zero. The
    ///      TSC is read before and after each poll, the APIC count in
    ///      between once it is high.
    /// The window runs from the middle of step 4's pair of TSC readings to
    /// the middle of the last poll's; the two pairs' spans are how
    /// uncertain it is.
    private static func measureWindow() -> Window? {
        LocalAPIC.write(LocalAPIC.Register.timerDivide, apicDivideBy16)
        LocalAPIC.write(LocalAPIC.Register.timerVector, (1 << 16) | UInt32(InterruptVector.timer))
        LocalAPIC.write(LocalAPIC.Register.timerInitialCount, UInt32.max)

        port_write_u8(0x61, (port_read_u8(0x61) & ~0x02) | 0x01)
        port_write_u8(0x43, 0xB0)
        port_write_u8(0x42, UInt8(truncatingIfNeeded: pitTicks))
        let beforeStart = read_tsc()
        port_write_u8(0x42, UInt8(truncatingIfNeeded: pitTicks >> 8))
        let apicStart = LocalAPIC.read(LocalAPIC.Register.timerCurrentCount)
        let afterStart = read_tsc()

        var beforePoll = afterStart
        var polls = 0
        while true {
            let outputHigh = port_read_u8(0x61) & 0x20 != 0
            let apicEnd = LocalAPIC.read(LocalAPIC.Register.timerCurrentCount)
            let afterPoll = read_tsc()
            if outputHigh {
                LocalAPIC.write(LocalAPIC.Register.timerInitialCount, 0)      // stop it
                let start = beforeStart / 2 + afterStart / 2
                let end = beforePoll / 2 + afterPoll / 2
                guard end > start, apicStart > apicEnd else { return nil }
                return Window(tscTicks: end - start, apicTicks: UInt64(apicStart - apicEnd),
                              uncertainty: (afterStart - beforeStart) + (afterPoll - beforePoll))
            }
            beforePoll = afterPoll
            polls += 1
            if polls == pollLimit { return nil }
        }
    }
}
