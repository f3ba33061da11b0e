import XenPublic

/// The PVH start of day (struct hvm_start_info): written by whoever built
/// the domain, at the guest-physical address Entry.S received in EBX. All
/// addresses in it are guest-physical, identity-mapped in the guest, and 0
/// means "absent".
struct StartInfo {
    let address: UInt64
    private let raw: hvm_start_info

    /// Reads the structure at `address`; nil when there is none (0).
    init?(address: UInt64) {
        guard address != 0, let pointer = UnsafePointer<hvm_start_info>(bitPattern: UInt(address)) else {
            return nil
        }
        self.address = address
        self.raw = pointer.pointee
    }

    /// XEN_HVM_START_MAGIC_VALUE, if EBX really pointed at a start info.
    var magic: UInt32 { raw.magic }

    var hasValidMagic: Bool { raw.magic == UInt32(XEN_HVM_START_MAGIC_VALUE) }

    /// 1 and up: the memory map fields are present.
    var version: UInt32 { raw.version }

    var flags: StartInfoFlags { StartInfoFlags(rawValue: raw.flags) }

    /// The domain's command line, nil when it has none.
    var commandLine: GuestString? {
        raw.cmdline_paddr == 0 ? nil : GuestString(address: raw.cmdline_paddr)
    }

    /// The boot modules (for dom0: the images of the domains to build).
    var modules: [StartInfoModule] {
        guard raw.modlist_paddr != 0, raw.nr_modules > 0,
              let list = UnsafePointer<hvm_modlist_entry>(bitPattern: UInt(raw.modlist_paddr)) else { return [] }
        return (0..<Int(raw.nr_modules)).map { StartInfoModule(list[$0]) }
    }

    /// The guest-physical memory map (E820 style). Empty before version 1.
    var memoryMap: [MemoryMapEntry] {
        guard raw.version >= 1, raw.memmap_paddr != 0, raw.memmap_entries > 0,
              let table = UnsafePointer<hvm_memmap_table_entry>(bitPattern: UInt(raw.memmap_paddr)) else { return [] }
        return (0..<Int(raw.memmap_entries)).map { MemoryMapEntry(table[$0]) }
    }

    /// The ACPI RSDP, nil when there are no ACPI tables.
    var rsdpAddress: UInt64? { raw.rsdp_paddr == 0 ? nil : raw.rsdp_paddr }
}
