/// Domain 0, the first boot module. For now it only shows that the path
/// hypervisor -> PVH entry -> Swift -> hypercalls works: it greets, reports
/// what the start info and xen_version told it, and powers off.
/// (Building the other domains from its boot modules comes later.)
@_cdecl("guest_main")
func guestMain(_ startInfoAddress: UInt64) {
    print("dom0: hello from the first domain (PVH, Embedded Swift)")

    guard let startInfo = StartInfo(address: startInfoAddress), startInfo.hasValidMagic else {
        print("dom0: no valid start info at \(hex(startInfoAddress)): stopping")
        Scheduler.shutdown(.crash)
    }
    Dom0Report.startInfo(startInfo)
    Dom0Report.modules(startInfo.modules)
    Dom0Report.memoryMap(startInfo.memoryMap)
    Dom0Report.hypervisor()

    print("dom0: nothing more to do yet: powering off")
    Scheduler.shutdown(.poweroff)
}
