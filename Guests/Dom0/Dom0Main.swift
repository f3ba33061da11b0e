/// Domain 0, the first boot module. It greets, reports what the start info
/// and xen_version told it, and then, if its first boot module is a
/// manifest, acts as the toolstack: builds the domains listed there from
/// the other modules, waits for them, and cleans up (`Dom0Toolstack`).
/// Either way it powers off at the end, which ends the machine.
@_cdecl("guest_main")
func guestMain(_ startInfoAddress: UInt64) {
    print("dom0: hello from the first domain (PVH, Embedded Swift)")

    guard let startInfo = StartInfo(address: startInfoAddress), startInfo.hasValidMagic else {
        print("dom0: no valid start info at \(hex(startInfoAddress, digits: 1)): stopping")
        SchedOp.shutdown(.crash)
    }
    let modules = startInfo.modules
    let memoryMap = startInfo.memoryMap
    Dom0Report.startInfo(startInfo)
    Dom0Report.modules(modules)
    Dom0Report.memoryMap(memoryMap)
    Dom0Report.hypervisor()

    guard let first = modules.first, Manifest.isManifest(first) else {
        print("dom0: nothing more to do yet: powering off")
        SchedOp.shutdown(.poweroff)
    }
    // disk_bench=MiB: time direct reads of the machine's disks first (DiskReadBench).
    let diskBench = startInfo.commandLine?.value(ofOption: "disk_bench")?.decimalValue
    Dom0Toolstack.run(manifest: first, modules: modules, memoryMap: memoryMap, diskBenchMiB: diskBench)
    print("dom0: all domains done: powering off")
    SchedOp.shutdown(.poweroff)
}
