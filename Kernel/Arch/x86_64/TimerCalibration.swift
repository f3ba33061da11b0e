import Support

/// Measures how fast the TSC and the local APIC timer run, against PIT
/// channel 2: the port I/O. What the readings mean, and when they are
/// enough, is `PITCalibration`'s (Kernel/Core). Under an emulator these are
/// the emulated rates (QEMU -icount: one TSC tick per instruction; Bochs:
/// per its ips setting), which is what guests will see too.
enum TimerCalibration {
    /// The APIC timer counts its bus clock divided by 16 (divide
    /// configuration 0b0011): a 32-bit count then lasts over a minute even
    /// at a 1 GHz bus.
    static let apicDivideBy16: UInt32 = 0x3
    /// Times the counter is loaded (55 ms of counting each) before taking
    /// the best end seen: a host this busy gets a warning, not a hang.
    static let attempts = 8
    /// Readings in one attempt before the PIT counts as dead: far more
    /// than 55 ms of readings on any machine or emulator seen.
    static let readingLimit = 20_000_000

    /// Nil if the PIT does not count.
    static func measure() -> PITCalibration.Rates? {
        startAPICTimer()
        defer { LocalAPIC.write(LocalAPIC.Register.timerInitialCount, 0) }    // stop it
        var calibration = PITCalibration()
        for _ in 0..<attempts {
            loadCounter()
            var ranOut = false
            for readings in 1...readingLimit {
                switch calibration.add(read()) {
                case .measuring: continue
                case .measured(let rates):
                    Log.debug("time: PIT window known to \(rates.uncertaintyPPM) ppm after \(readings) readings")
                    return rates
                case .reloadCounter: ranOut = true
                }
                break
            }
            guard ranOut else { return nil }                   // the count never moved on
            Log.debug("time: the PIT count ran out before a precise enough edge; loading it again")
        }
        guard let best = calibration.best else { return nil }
        Log.warning("time: no PIT window known to 488 ppm in \(attempts) tries (a busy host?); taking one known to \(best.uncertaintyPPM) ppm")
        return best
    }

    /// Divide by 16, masked, one-shot, counting down from the largest
    /// count: no interrupt, it is only read.
    private static func startAPICTimer() {
        LocalAPIC.write(LocalAPIC.Register.timerDivide, apicDivideBy16)
        LocalAPIC.write(LocalAPIC.Register.timerVector, (1 << 16) | UInt32(InterruptVector.timer))
        LocalAPIC.write(LocalAPIC.Register.timerInitialCount, UInt32.max)
    }

    /// Port 0x61: gate of channel 2 on (bit 0), speaker off (bit 1). Port
    /// 0x43: control word 0xB0: channel 2, low byte then high byte, mode 0
    /// ("interrupt on terminal count": OUT low until the count reaches
    /// zero), binary. Port 0x42: the count 0xFFFF, low byte then high byte;
    /// the high byte starts it.
    private static func loadCounter() {
        port_write_u8(0x61, (port_read_u8(0x61) & ~0x02) | 0x01)
        port_write_u8(0x43, 0xB0)
        port_write_u8(0x42, 0xFF)
        port_write_u8(0x42, 0xFF)
    }

    /// Read-back command 0xC8 (port 0x43): latch channel 2's count and
    /// status together. Only the latch and the APIC read lie between the
    /// two TSC reads; the latched bytes are read afterwards from port 0x42:
    /// the status (bit 7: OUT), then the count's low and high byte.
    @inline(__always)
    private static func read() -> PITCalibration.Reading {
        let before = read_tsc()
        port_write_u8(0x43, 0xC8)
        let apic = LocalAPIC.read(LocalAPIC.Register.timerCurrentCount)
        let after = read_tsc()
        let status = port_read_u8(0x42)
        let low = UInt16(port_read_u8(0x42))
        let high = UInt16(port_read_u8(0x42))
        return PITCalibration.Reading(tscBefore: before, tscAfter: after, count: high << 8 | low,
                                      outputHigh: status & 0x80 != 0, apicCount: apic)
    }
}
