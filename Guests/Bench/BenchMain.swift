import GuestSupport
import XenPublic

/// A benchmark guest: boot it as dom0 and it prints one row per round trip
/// (TimingRow's format, which `xtool bench` reads): exits and hypercalls
/// into the hypervisor, event-channel sends, a grant copy, and the round
/// trips a guest kernel serves its own ring 3; then it powers off.
///
///     bench.elf [iterations=N] [batches=M]      (defaults 1000 and 7)
///
/// Only Xen's ABI is used, so the same image runs as Xen's PVH dom0 for
/// comparison; a row that cannot be measured under one hypervisor prints
/// `bench: skip KEY reason` and the others go on.
///
/// Under `xtool boot --icount` (QEMU with -icount shift=0) the TSC advances
/// one tick per executed instruction, guest and hypervisor alike, so the
/// numbers are exact, repeatable instruction counts of the whole round trip.
/// On other machines they are TSC ticks, and only as good as that clock.
@_cdecl("guest_main")
func guestMain(_ startInfoAddress: UInt64) {
    let timing = TimingRow(commandLine: StartInfo(address: startInfoAddress)?.commandLine)
    timing.printConfig()
    HypervisorRows.run(timing)
    EventChannelRows.run(timing)
    GrantCopyRow.run(timing)
    UserModeRows.run(timing)
    TimingRow.printEnd()
    SchedOp.shutdown(.poweroff)
}
