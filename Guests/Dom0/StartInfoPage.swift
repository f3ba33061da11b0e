import XenPublic

/// The page dom0 writes right after a new domain's image: what the PVH
/// boot protocol hands a kernel in EBX, laid out the way the hypervisor
/// lays out dom0's own, so a kernel cannot tell who built it.
///
///     +0     struct hvm_start_info (version 1, no modules)
///     +64    the memory map: one entry, RAM from 0 to the domain's size
///     +2048  the command line, NUL-terminated
enum StartInfoPage {
    static let size = 4096
    static let memoryMapOffset = 64
    static let commandLineOffset = 2048
    /// What fits before the end of the page, with the NUL.
    static let maximumCommandLine = size - commandLineOffset - 1

    /// The page's bytes, for a page at guest-physical `address` in a domain
    /// of `memoryBytes`. The command line must fit (`maximumCommandLine`).
    static func contents(at address: UInt64, memoryBytes: UInt64, commandLine: GuestString) -> [UInt8] {
        precondition(commandLine.bytes.count <= maximumCommandLine)
        var page = [UInt8](repeating: 0, count: size)

        var info = hvm_start_info()
        info.magic = UInt32(XEN_HVM_START_MAGIC_VALUE)
        info.version = 1
        info.flags = 0                      // neither privileged nor the initial domain
        info.nr_modules = 0
        info.modlist_paddr = 0
        info.cmdline_paddr = address + UInt64(commandLineOffset)
        info.rsdp_paddr = 0                 // no ACPI tables
        info.memmap_paddr = address + UInt64(memoryMapOffset)
        info.memmap_entries = 1

        let ram = hvm_memmap_table_entry(addr: 0, size: memoryBytes, type: UInt32(XEN_HVM_MEMMAP_TYPE_RAM), reserved: 0)

        page.withUnsafeMutableBytes { bytes in
            bytes.storeBytes(of: info, toByteOffset: 0, as: hvm_start_info.self)
            bytes.storeBytes(of: ram, toByteOffset: memoryMapOffset, as: hvm_memmap_table_entry.self)
            for index in 0..<commandLine.bytes.count {
                bytes[commandLineOffset + index] = commandLine.bytes[index]
            }
            // The NUL after it is already there: the page started as zeros.
        }
        return page
    }
}
