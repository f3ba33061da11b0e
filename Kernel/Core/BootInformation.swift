/// A file the boot loader placed in memory next to the hypervisor (dom0's
/// kernel, a domU image, a manifest), with the string given after its name.
struct BootModule {
    var range: MemoryRange
    var commandLine: String
}

/// What the boot loader told us, copied out of its own structures into
/// hypervisor memory so that nothing later depends on where it put them.
struct BootInformation {
    var loaderName: String = ""
    var commandLine: [UInt8] = []
    var memoryMap: [MemoryRegion] = []
    var modules: [BootModule] = []
}
