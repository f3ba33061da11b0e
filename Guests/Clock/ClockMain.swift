import XenPublic

/// A guest that keeps time: it maps shared_info, reads system time, sleeps
/// three times for 10 ms on its one-shot timer and checks each sleep lasted
/// at least that long, then powers off. With `spin=N` on its command line
/// it first burns N ms of CPU without leaving the guest, so that the
/// scheduler's preemption shows (loglvl=debug reports the slices).
@_cdecl("guest_main")
func guestMain(_ startInfoAddress: UInt64) {
    let commandLine = StartInfo(address: startInfoAddress)?.commandLine ?? GuestString("")
    let page: SharedInfoView
    do {
        page = try SharedInfoView.map()
    } catch {
        print("clock: cannot map shared_info: \(error.name)")
        SchedOp.shutdown(.crash)
    }
    print("clock: shared_info at \(hex(page.address, digits: 1)), TSC \(SystemTimeReader.tscFrequency() / 1000) kHz")
    print("clock: system time \(Clock.milliseconds(SystemTimeReader.now())) ms since boot")

    if let spin = commandLine.value(ofOption: "spin")?.decimalValue {
        Clock.spin(milliseconds: spin)
    }
    var failures = 0
    for round in 1...3 {
        if !Clock.sleepOnce(round) { failures += 1 }
    }
    if !Clock.pastDeadlineRefused() { failures += 1 }
    print("clock: \(failures == 0 ? "all sleeps ok" : "FAIL"): powering off")
    SchedOp.shutdown(failures == 0 ? .poweroff : .crash)
}

enum Clock {
    static let sleepTime: UInt64 = 10_000_000

    /// One 10 ms sleep; true if at least 10 ms passed.
    static func sleepOnce(_ round: Int) -> Bool {
        let before = SystemTimeReader.now()
        do {
            try Timer.sleep(nanoseconds: sleepTime)
        } catch {
            print("clock: sleep \(round): \(error.name)")
            return false
        }
        let elapsed = SystemTimeReader.now() - before
        let ok = elapsed >= sleepTime
        print("clock: sleep \(round): asked 10 ms, slept \(milliseconds(elapsed)) ms: \(ok ? "ok" : "FAIL (too short)")")
        return ok
    }

    /// VCPU_SSHOTTMR_future with a deadline already past must be -ETIME.
    static func pastDeadlineRefused() -> Bool {
        var result: Int64 = 0
        do { try Timer.set(deadline: 1, future: true) } catch { result = error.result }
        let ok = result == -Int64(XEN_ETIME)
        print("clock: a past deadline with VCPU_SSHOTTMR_future: \(result) (\(ok ? "ETIME, ok" : "FAIL"))")
        return ok
    }

    /// Busy for `milliseconds` of system time, never leaving the guest.
    static func spin(milliseconds: UInt64) {
        print("clock: spinning for \(milliseconds) ms")
        let start = SystemTimeReader.now()
        var loops: UInt64 = 0
        while SystemTimeReader.now() - start < milliseconds * 1_000_000 { loops += 1 }
        print("clock: spun \(Clock.milliseconds(SystemTimeReader.now() - start)) ms (\(loops) clock reads)")
    }

    /// "12.345" for 12_345_678 ns.
    static func milliseconds(_ nanoseconds: UInt64) -> String {
        let micro = nanoseconds / 1000
        let fraction = micro % 1000
        let padding = fraction < 10 ? "00" : (fraction < 100 ? "0" : "")
        return "\(micro / 1000).\(padding)\(fraction)"
    }
}
