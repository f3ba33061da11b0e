import XenPublic

/// memory_op(cmd, arg): what memory a domain has. The subset here: a PVH
/// guest learns its memory map and size; dom0's domain builder gives a new
/// domain RAM and maps it to write the image.
enum MemoryOpHypercall {
    static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
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
            let bytes = try context.guest.read(from: call.second, count: 2)
            let target = try context.hypervisor.domain(UInt16(bytes[0]) | UInt16(bytes[1]) << 8, from: context.domain)
            return UInt64(target.memory.frameCount)
        case XENMEM_maximum_ram_page:
            // The highest guest frame the domain's RAM reaches (0 with none).
            return max(context.domain.memory.byteCount / 4096, 1) - 1
        default:
            throw .notImplemented
        }
    }

    /// The domain's RAM as one E820 entry, like the start info's map.
    /// A guest handle is a pointer of the guest's own width: a 32-bit guest
    /// has `{ uint32_t nr_entries; uint32_t buffer; }`, a 64-bit guest the
    /// layout in xen_memory.h (Xen's "compat" ABI for 32-bit guests).
    private static func memoryMap(at address: UInt64, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        let capacity = try context.guest.readUInt32(address)
        guard capacity >= 1 else { throw .invalidArgument }
        let buffer = context.guest.state.longModeActive
            ? try context.guest.readUInt64(address + 8)
            : UInt64(try context.guest.readUInt32(address + 4))
        var entry = [UInt8](repeating: 0, count: 20)
        entry.withUnsafeMutableBytes { bytes in
            bytes.storeBytes(of: UInt64(0), toByteOffset: 0, as: UInt64.self)
            bytes.storeBytes(of: context.domain.memory.byteCount, toByteOffset: 8, as: UInt64.self)
            bytes.storeBytes(of: UInt32(XEN_HVM_MEMMAP_TYPE_RAM), toByteOffset: 16, as: UInt32.self)
        }
        try context.guest.write(entry, to: buffer)
        try context.guest.write(UInt32(1), to: address)
        return 0
    }
}
