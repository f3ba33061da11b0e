/// Where dom0 puts what a new domain boots with, in its guest-physical
/// memory, the same order as the hypervisor's PVHLoader for dom0:
///
///     0 ............ RAM; the kernel's segments at their p_paddr
///     image end      start info page (StartInfoPage), page-aligned
///     +4 KiB         ACPI tables (ACPITables), marked ACPI in the memory map
///     +8 KiB         the ramdisk, if any, page-aligned
///     ... RAM's end  free RAM (the memory map's last entry)
///
/// Every address is checked against the domain's size here, before any
/// hypercall: an image or a ramdisk that is too large costs nothing.
struct DomainImageLayout {
    static let pageSize: UInt64 = 4096

    let startInfoAddress: UInt64
    let acpiTablesAddress: UInt64
    /// The ramdisk's place: empty (at the end of the tables) when there is none.
    let ramdisk: MemoryRange

    var acpiTablesPage: MemoryRange { MemoryRange(start: acpiTablesAddress, length: Self.pageSize) }

    init(imageEnd: UInt64, ramdiskSize: UInt64, memoryBytes: UInt64) throws(BuildError) {
        // Checked one step at a time: a hostile image may end near 2^64,
        // and a sum must not wrap before it is compared.
        guard imageEnd <= memoryBytes else { throw .doesNotFit(needed: imageEnd, available: memoryBytes) }
        startInfoAddress = (imageEnd + Self.pageSize - 1) & ~(Self.pageSize - 1)
        acpiTablesAddress = startInfoAddress + Self.pageSize
        let ramdiskStart = acpiTablesAddress + Self.pageSize
        guard ramdiskStart <= memoryBytes, ramdiskSize <= memoryBytes - ramdiskStart else {
            let (needed, wrapped) = ramdiskStart.addingReportingOverflow(ramdiskSize)
            throw .doesNotFit(needed: wrapped ? UInt64.max : needed, available: memoryBytes)
        }
        ramdisk = MemoryRange(start: ramdiskStart, length: ramdiskSize)
    }
}
