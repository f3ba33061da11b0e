import XenPublic

/// XENMEM_populate_physmap and XENMEM_decrease_reservation: give a domain
/// RAM at the guest frames listed, or take it away. Returns how many frames
/// were done; it stops at the first that cannot be (over max_mem, out of
/// memory or page-table allowance, already populated / not populated,
/// mapped by another domain), as Xen does. DomainMemory enforces each of
/// those rules; this only walks the guest's list.
enum MemoryReservation {
    /// Frames read from the guest's list per step.
    private static let batch = 512
    /// The most frames one call may name.
    static let maximumExtents: UInt64 = 1 << 20

    static func populate(at address: UInt64, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        let (target, list, count) = try decode(address, context)
        return try forEachFrame(in: list, count: count, context) { frame in
            do throws(DomainMemory.PopulationError) { try target.memory.populate(frame: frame) } catch { return false }
            return true
        }
    }

    static func decrease(at address: UInt64, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        let (target, list, count) = try decode(address, context)
        // Flush even when a later part of the list faults: the frames
        // already taken must not stay in any TLB.
        var removed = 0
        defer { if removed > 0 { target.flushNestedTranslations(context.hypervisor.backend) } }
        return try forEachFrame(in: list, count: count, context) { frame in
            do throws(DomainMemory.PopulationError) { try target.memory.depopulate(frame: frame) } catch { return false }
            removed += 1
            return true
        }
    }

    /// Reads the guest's frame list a batch at a time and applies `step` to
    /// each frame until it says no; returns how many it did.
    private static func forEachFrame(in list: UInt64, count: UInt64, _ context: HypercallContext,
                                     _ step: (Int) -> Bool) throws(HypercallError) -> UInt64 {
        var done: UInt64 = 0
        while done < count {
            let batchCount = Int(min(count - done, UInt64(batch)))
            for frame in try context.guest.readUInt64s(from: list &+ done * 8, count: batchCount) {
                guard frame <= UInt64(Int.max), step(Int(frame)) else { return done }
                done += 1
            }
        }
        return done
    }

    /// arg: struct xen_memory_reservation. Only order-0 (4 KiB) extents.
    private static func decode(_ address: UInt64, _ context: HypercallContext) throws(HypercallError)
        -> (Domain, UInt64, UInt64) {
        let request = try context.guest.read(xen_memory_reservation.self, at: address)
        guard request.extent_order == 0 else { throw .invalidArgument }
        guard request.nr_extents <= maximumExtents else { throw .invalidArgument }
        let target = try context.hypervisor.domain(request.domid, from: context.domain)
        guard !target.state.isFinished else { throw .invalidArgument }
        return (target, request.extent_start, request.nr_extents)
    }
}
