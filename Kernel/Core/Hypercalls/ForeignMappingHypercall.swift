import XenPublic

/// XENMEM_add_to_physmap_batch with XENMAPSPACE_gmfn_foreign, and
/// XENMEM_remove_from_physmap: the privileged domain shows frames of another
/// domain in its own physical address space, outside its RAM, to write that
/// domain's image and start info. Each mapping holds a reference to its
/// frame (FrameReferences), so the owner cannot free it meanwhile. When the
/// other domain is destroyed, these mappings go first (Hypervisor.destroy).
enum ForeignMappingHypercall {
    static let maximumBatch = 512

    /// arg: struct xen_add_to_physmap_batch, in its 64-bit layout; a 32-bit
    /// guest's (4-byte pointers) is not supported: -ENOSYS.
    static func addBatch(at address: UInt64, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        guard context.guest.state.longModeActive else { throw .notImplemented }
        let request = try context.guest.read(xen_add_to_physmap_batch.self, at: address)
        guard try context.hypervisor.domain(request.domid, from: context.domain) === context.domain else {
            throw .invalidArgument           // only one's own physmap
        }
        guard request.space == UInt16(XENMAPSPACE_gmfn_foreign) else { throw .notImplemented }
        guard context.domain.isPrivileged else { throw .notPermitted }
        let count = Int(request.size)
        guard count <= maximumBatch else { throw .invalidArgument }
        let owner = try context.hypervisor.domain(request.foreign_domid, from: context.domain)
        guard owner !== context.domain else { throw .invalidArgument }

        let indices = try context.guest.readUInt64s(from: request.idxs, count: count)
        let targets = try context.guest.readUInt64s(from: request.gpfns, count: count)
        var errors: [Int32] = []
        errors.reserveCapacity(count)
        for index in 0..<count {
            errors.append(mapOne(ownerFrame: indices[index], owner: owner, at: targets[index], in: context.domain))
        }
        try context.guest.write(contentsOf: errors, to: request.errs)
        // A replaced mapping may be cached in the caller's TLB.
        if errors.contains(0) { context.domain.flushNestedTranslations(context.hypervisor.backend) }
        return 0
    }

    /// arg: struct xen_remove_from_physmap.
    static func remove(at address: UInt64, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        let request = try context.guest.read(xen_remove_from_physmap.self, at: address)
        let domain = try context.hypervisor.domain(request.domid, from: context.domain)
        guard domain.memory.unmapForeign(at: request.gpfn) else { throw .invalidArgument }
        domain.flushNestedTranslations(context.hypervisor.backend)
        return 0
    }

    /// 0, or the negative errno for this frame's errs[] entry: EINVAL for a
    /// frame that is not the owner's RAM or a target that is the caller's
    /// RAM, ENOMEM past the caller's mapping or page-table allowance.
    private static func mapOne(ownerFrame: UInt64, owner: Domain, at guestFrame: UInt64, in domain: Domain) -> Int32 {
        do {
            try domain.memory.mapForeign(at: guestFrame, from: owner.memory, ownerID: owner.id, ownerFrame: ownerFrame)
            return 0
        } catch {
            return -Int32(error.hypercallError.errno)
        }
    }
}
