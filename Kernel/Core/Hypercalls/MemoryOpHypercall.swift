import XenPublic

/// memory_op(cmd, arg): what memory a domain has. The subset here: a PVH
/// guest learns its memory map and size; dom0's domain builder gives a new
/// domain RAM and maps it to write the image.
enum MemoryOpHypercall {
    @Sendable static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        guard let command = call.command else { throw .notImplemented }
        switch Int32(bitPattern: command) {
        case XENMEM_memory_map:
            return try memoryMap(at: call.second, context)
        case XENMEM_populate_physmap:
            return try MemoryReservation.populate(at: call.second, context)
        case XENMEM_decrease_reservation:
            return try MemoryReservation.decrease(at: call.second, context)
        case XENMEM_add_to_physmap:
            return try SharedInfoMapping.addToPhysmap(at: call.second, context)
        case XENMEM_add_to_physmap_batch:
            return try ForeignMappingHypercall.addBatch(at: call.second, context)
        case XENMEM_remove_from_physmap:
            return try ForeignMappingHypercall.remove(at: call.second, context)
        case XENMEM_current_reservation, XENMEM_maximum_reservation:
            // arg points at a domid_t naming the domain.
            let domainID = try context.guest.read(domid_t.self, at: call.second)
            let target = try context.hypervisor.domain(domainID, from: context.domain)
            return UInt64(target.memory.frameCount)
        case XENMEM_maximum_ram_page:
            // The highest guest frame the domain's RAM reaches (0 with none).
            return max(context.domain.memory.byteCount / 4096, 1) - 1
        default:
            throw .notImplemented
        }
    }

    /// arg: struct xen_memory_map, or for a 32-bit guest compat_memory_map
    /// (a 4-byte buffer pointer). The caller's memory map is its
    /// DomainMemoryMap, the one in its start info: its RAM, with dom0's
    /// ACPI page cut out. The struct comes back whole with nr_entries set
    /// to how many entries were written, as Xen copies it back.
    private static func memoryMap(at address: UInt64, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        let guest = context.guest
        if guest.state.longModeActive {
            var map = try guest.read(xen_memory_map.self, at: address)
            map.nr_entries = try writeMemoryMap(capacity: map.nr_entries, to: map.buffer, context)
            try guest.write(map, to: address)
        } else {
            var map = try guest.read(compat_memory_map.self, at: address)
            map.nr_entries = try writeMemoryMap(capacity: map.nr_entries, to: UInt64(map.buffer), context)
            try guest.write(map, to: address)
        }
        return 0
    }

    /// Writes the entries into the guest's buffer of `capacity` entries and
    /// returns how many it wrote: all, or as many as fit (Xen's min()).
    private static func writeMemoryMap(capacity: UInt32, to buffer: UInt64,
                                       _ context: HypercallContext) throws(HypercallError) -> UInt32 {
        guard capacity >= 1 else { throw .invalidArgument }
        let entries = Array(context.domain.memoryMap.e820Entries.prefix(Int(capacity)))
        try context.guest.write(contentsOf: entries, to: buffer)
        return UInt32(entries.count)
    }
}
