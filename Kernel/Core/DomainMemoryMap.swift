import XenPublic

/// The guest-physical memory map a domain is told about, in E820 terms:
/// its RAM from 0 to the end of its memory, except for the page of ACPI
/// tables the hypervisor put in it (dom0 only, PVHLoader), which is marked
/// ACPI so that the guest leaves it alone. The start info's memmap
/// (PVHLoader) and XENMEM_memory_map (MemoryOpHypercall) both come from
/// here, so they agree, as Xen's do (both are its d->arch.e820).
struct DomainMemoryMap: Equatable {
    struct Entry: Equatable {
        var range: MemoryRange
        /// XEN_HVM_MEMMAP_TYPE_* (the E820 type numbers).
        var type: UInt32
    }

    private(set) var entries: [Entry] = []

    /// RAM up to `ramEnd`, with `acpiTables` (inside it) cut out as ACPI.
    init(ramEnd: UInt64, acpiTables: MemoryRange? = nil) {
        let ram = UInt32(XEN_HVM_MEMMAP_TYPE_RAM)
        guard let tables = acpiTables, tables.start < tables.end, tables.end <= ramEnd else {
            entries = [Entry(range: MemoryRange(start: 0, end: ramEnd), type: ram)]
            return
        }
        if tables.start > 0 { entries.append(Entry(range: MemoryRange(start: 0, end: tables.start), type: ram)) }
        entries.append(Entry(range: tables, type: UInt32(XEN_HVM_MEMMAP_TYPE_ACPI)))
        if tables.end < ramEnd { entries.append(Entry(range: MemoryRange(start: tables.end, end: ramEnd), type: ram)) }
    }

    /// The entries in the start info's layout.
    var startInfoEntries: [hvm_memmap_table_entry] {
        entries.map { hvm_memmap_table_entry(addr: $0.range.start, size: $0.range.length, type: $0.type, reserved: 0) }
    }

    /// The entries in XENMEM_memory_map's layout.
    var e820Entries: [xen_e820_entry] {
        entries.map { xen_e820_entry(addr: $0.range.start, size: $0.range.length, type: $0.type) }
    }
}
