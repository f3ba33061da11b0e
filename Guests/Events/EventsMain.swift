/// A test guest for event channels, driven by its command line:
///
///   mode=self                       checks event channels within one domain
///                                   (SelfChecks): upcalls, masking, the
///                                   timer VIRQ, SCHEDOP_poll, error codes;
///                                   one line per check, then the tally
///                                   "events: N passed, 0 failed";
///   mode=ping peer=N rounds=R       with a pong domain N: R round trips over
///   mode=pong peer=N rounds=R       one interdomain channel (PingPong); each
///     [wait=upcall|poll]            ends with "events: ping: R rounds" (or
///                                   pong); pong waits through the upcall or,
///                                   with wait=poll, with SCHEDOP_poll;
///     [iterations=N batches=M]      bench mode (PingPongBench): ping prints
///                                   the evtchn-ping-pong and domain-switch
///                                   rows (give both the same numbers).
///
/// It powers off when everything worked and crashes on purpose otherwise,
/// so a failure shows in the domain's end too.
@_cdecl("guest_main")
func guestMain(_ startInfoAddress: UInt64) {
    guard let startInfo = StartInfo(address: startInfoAddress), startInfo.hasValidMagic else {
        print("events: no valid start info at \(hex(startInfoAddress, digits: 1)): crashing")
        SchedOp.shutdown(.crash)
    }
    let commandLine = startInfo.commandLine ?? GuestString("")
    print("events: command line \"\(commandLine.string)\"")
    guard let mode = commandLine.value(ofOption: "mode") else {
        print("events: no mode= on the command line: crashing")
        SchedOp.shutdown(.crash)
    }
    let worked: Bool
    if mode.equals("self") {
        worked = SelfChecks.run()
    } else if mode.equals("ping") || mode.equals("pong") {
        guard let peer = commandLine.value(ofOption: "peer")?.decimalValue, peer < UInt64(DomainID.max) else {
            print("events: mode=\(mode.string) needs peer=N, the other domain's id: crashing")
            SchedOp.shutdown(.crash)
        }
        let rounds = commandLine.value(ofOption: "rounds")?.decimalValue ?? 100
        // iterations= (and batches=): bench mode, rows instead of rounds.
        let bench = commandLine.value(ofOption: "iterations") == nil ? nil : TimingRow(commandLine: commandLine)
        if mode.equals("ping") {
            worked = PingPong.ping(peer: DomainID(peer), rounds: rounds, bench: bench)
        } else {
            let usePoll = commandLine.value(ofOption: "wait")?.equals("poll") == true
            worked = PingPong.pong(peer: DomainID(peer), rounds: rounds, usePoll: usePoll, bench: bench)
        }
    } else {
        print("events: unknown mode=\(mode.string): crashing")
        SchedOp.shutdown(.crash)
    }
    SchedOp.shutdown(worked ? .poweroff : .crash)
}
