import XenPublic

/// The page dom0 writes right after a new domain's image: what the PVH
/// boot protocol hands a kernel in EBX, laid out the way the hypervisor
/// lays out dom0's own (PVHLoader), so a kernel cannot tell who built it.
///
///     +0     struct hvm_start_info (version 1)
///     +64    the memory map (DomainMemoryMap: RAM, the ACPI page, RAM;
///            room for eight entries)
///     +256   the module list: the ramdisk, if any, as module 0
///     +2048  the command line, NUL-terminated
enum StartInfoPage {
    static let size = 4096
    static let memoryMapOffset = 64
    static let maximumMemoryMapEntries = 8
    static let moduleListOffset = 256
    static let commandLineOffset = 2048
    /// What fits before the end of the page, with the NUL.
    static let maximumCommandLine = size - commandLineOffset - 1

    /// The page's bytes, for the domain `layout` describes, `memoryBytes`
    /// large. The command line must fit (`maximumCommandLine`).
    static func contents(_ layout: DomainImageLayout, memoryBytes: UInt64, commandLine: GuestString) -> [UInt8] {
        precondition(commandLine.bytes.count <= maximumCommandLine)
        let address = layout.startInfoAddress
        var page = [UInt8](repeating: 0, count: size)
        let memoryMap = DomainMemoryMap(ramEnd: memoryBytes, acpiTables: layout.acpiTablesPage).startInfoEntries
        precondition(memoryMap.count <= maximumMemoryMapEntries)
        let hasRamdisk = !layout.ramdisk.isEmpty

        var info = hvm_start_info()
        info.magic = UInt32(XEN_HVM_START_MAGIC_VALUE)
        info.version = 1
        info.flags = 0                      // neither privileged nor the initial domain
        info.nr_modules = hasRamdisk ? 1 : 0
        info.modlist_paddr = hasRamdisk ? address + UInt64(moduleListOffset) : 0
        info.cmdline_paddr = address + UInt64(commandLineOffset)
        info.rsdp_paddr = ACPITables(base: layout.acpiTablesAddress, processorCount: 1).rsdpAddress
        info.memmap_paddr = address + UInt64(memoryMapOffset)
        info.memmap_entries = UInt32(memoryMap.count)

        page.withUnsafeMutableBytes { bytes in
            bytes.storeBytes(of: info, toByteOffset: 0, as: hvm_start_info.self)
            for (index, entry) in memoryMap.enumerated() {
                bytes.storeBytes(of: entry, toByteOffset: memoryMapOffset + index * MemoryLayout<hvm_memmap_table_entry>.stride,
                                 as: hvm_memmap_table_entry.self)
            }
            if hasRamdisk {
                // No command line for the ramdisk: Linux reads none.
                let module = hvm_modlist_entry(paddr: layout.ramdisk.start, size: layout.ramdisk.length, cmdline_paddr: 0, reserved: 0)
                bytes.storeBytes(of: module, toByteOffset: moduleListOffset, as: hvm_modlist_entry.self)
            }
            for index in 0..<commandLine.bytes.count {
                bytes[commandLineOffset + index] = commandLine.bytes[index]
            }
            // The NUL after it is already there: the page started as zeros.
        }
        return page
    }

    /// The ACPI page: RSDP, XSDT and a MADT with the domain's one vCPU
    /// (local APIC ID 0), the tables the hypervisor gives dom0.
    static func acpiTables(_ layout: DomainImageLayout) -> [UInt8] {
        var bytes = ACPITables(base: layout.acpiTablesAddress, processorCount: 1).bytes()
        bytes.append(contentsOf: [UInt8](repeating: 0, count: size - bytes.count))
        return bytes
    }
}
