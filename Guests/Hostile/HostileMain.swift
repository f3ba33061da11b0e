import XenPublic

/// The hostile guest: it calls the hypervisor wrongly on purpose and checks
/// that every error path answers as documented, one line per check, then
/// that memory with nothing behind it reads all ones (`UnbackedMemoryChecks`),
/// that grant tables used wrongly give Xen's statuses (`GrantChecks`),
/// that the store and console dom0 serves a domU refuse its misuse
/// (`ServiceChecks`, only as a domU),
/// that refused CR4 values get #GP (`ControlRegisterChecks`) and that the
/// virtual local APIC answers as an x2APIC (`LocalAPICChecks`), then
/// that its own registers survive the hypervisor (`StateChecks`; with
/// `hold=N` also N rounds across time slices), then ends in the way its
/// command line asks for (see `FinalAct`).
@_cdecl("guest_main")
func guestMain(_ startInfoAddress: UInt64) {
    print("hostile: hello; probing the hypervisor's error paths")
    var tally = CheckTally(guest: "hostile")

    let startInfo = StartInfo(address: startInfoAddress)
    tally.expect("start_info magic", got: Int64(startInfo?.magic ?? 0),
                 expected: Int64(XEN_HVM_START_MAGIC_VALUE), inHex: true)
    let usable = startInfo?.hasValidMagic == true ? startInfo : nil

    // MemoryChecks first: it needs the domain at its max_mem, and
    // UnbackedMemoryChecks gives a page back for good.
    MemoryChecks.run(&tally)
    HypercallChecks.run(&tally, memoryMap: usable?.memoryMap ?? [])
    UnbackedMemoryChecks.run(&tally)
    GrantChecks.run(&tally)
    _ = ServiceChecks.run(&tally)
    ControlRegisterChecks.run(&tally)
    LocalAPICChecks.run(&tally)
    StateChecks.run(&tally)
    if let rounds = usable?.commandLine?.value(ofOption: "hold")?.decimalValue {
        StateChecks.holdRegisters(&tally, rounds: rounds)
    }
    tally.printSummary()

    FinalAct.perform(commandLine: usable?.commandLine, allChecksPassed: tally.failed == 0)
}
