import XenPublic

/// One range of the guest-physical memory map (struct hvm_memmap_table_entry).
struct MemoryMapEntry {
    let address: UInt64
    let size: UInt64
    let type: UInt32

    init(_ entry: hvm_memmap_table_entry) {
        address = entry.addr
        size = entry.size
        type = entry.type
    }

    /// The first address after the range.
    var end: UInt64 { address + size }

    /// The last address in the range (the range itself for an empty one).
    var lastAddress: UInt64 { size == 0 ? address : end - 1 }

    var isRAM: Bool { type == UInt32(XEN_HVM_MEMMAP_TYPE_RAM) }

    /// The E820 type's name, for printing.
    var typeName: StaticString {
        switch Int32(bitPattern: type) {
        case XEN_HVM_MEMMAP_TYPE_RAM: "RAM"
        case XEN_HVM_MEMMAP_TYPE_RESERVED: "reserved"
        case XEN_HVM_MEMMAP_TYPE_ACPI: "ACPI"
        case XEN_HVM_MEMMAP_TYPE_NVS: "ACPI NVS"
        case XEN_HVM_MEMMAP_TYPE_UNUSABLE: "unusable"
        default: "unknown type"
        }
    }
}
