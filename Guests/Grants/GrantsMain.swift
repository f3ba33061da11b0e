/// A test guest for grant tables, two of them sharing one page:
///
///   mode=offer peer=N    writes a message into a page, grants it to domain
///                        N (its first grant: reference 8), opens port 1
///                        for N and waits for N's event; then checks N's
///                        answer in the page and ends the grant;
///   mode=map peer=N      connects to port 1 of N (so the grant exists),
///                        maps reference 8 of N, reads the message, writes
///                        an answer, copies the message again with
///                        GNTTABOP_copy, unmaps, and sends the event.
///
/// Each prints one line per check and "grants: N passed, 0 failed"; it
/// powers off when every check passed and crashes on purpose otherwise.
@_cdecl("guest_main")
func guestMain(_ startInfoAddress: UInt64) {
    guard let startInfo = StartInfo(address: startInfoAddress), startInfo.hasValidMagic else {
        print("grants: no valid start info at \(hex(startInfoAddress, digits: 1)): crashing")
        SchedOp.shutdown(.crash)
    }
    let commandLine = startInfo.commandLine ?? GuestString("")
    guard let mode = commandLine.value(ofOption: "mode"),
          let peer = commandLine.value(ofOption: "peer")?.decimalValue, peer < UInt64(DomainID.max) else {
        print("grants: needs mode=offer|map and peer=N on the command line: crashing")
        SchedOp.shutdown(.crash)
    }
    var tally = CheckTally(guest: "grants")
    if mode.equals("offer") {
        GrantSharing.offer(to: DomainID(peer), &tally)
    } else if mode.equals("map") {
        GrantSharing.map(from: DomainID(peer), &tally)
    } else {
        tally.fail("mode", because: "unknown mode=")
    }
    tally.printSummary()
    SchedOp.shutdown(tally.failed == 0 ? .poweroff : .crash)
}
