import XenPublic

/// XENMEM_add_to_physmap_batch with XENMAPSPACE_gmfn_foreign, and
/// XENMEM_remove_from_physmap: the privileged domain shows frames of another
/// domain in its own physical address space, outside its RAM, to write that
/// domain's image and start info. Each mapping holds a reference to its
/// frame (FrameReferences), so the owner cannot free it meanwhile. When the
/// other domain is destroyed, these mappings go first (Hypervisor.destroy).
enum ForeignMappingHypercall {
    static let maximumBatch = 512

    /// struct xen_add_to_physmap_batch: domid 0, space 2, size 4,
    /// foreign_domid 6, idxs 8, gpfns 16, errs 24 (64-bit guests; the
    /// 32-bit layout is not supported: -ENOSYS).
    static func addBatch(at address: UInt64, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        guard context.guest.state.longModeActive else { throw .notImplemented }
        let record = try GuestRecord.read(32, at: address, from: context.guest)
        guard try context.hypervisor.domain(record.u16(0), from: context.domain) === context.domain else {
            throw .invalidArgument           // only one's own physmap
        }
        guard record.u16(2) == UInt16(XENMAPSPACE_gmfn_foreign) else { throw .notImplemented }
        guard context.domain.isPrivileged else { throw .notPermitted }
        let count = Int(record.u16(4))
        guard count <= maximumBatch else { throw .invalidArgument }
        let owner = try context.hypervisor.domain(record.u16(6), from: context.domain)
        guard owner !== context.domain else { throw .invalidArgument }

        let indices = try context.guest.readUInt64s(from: record.u64(8), count: count)
        let targets = try context.guest.readUInt64s(from: record.u64(16), count: count)
        var errors = [UInt8](repeating: 0, count: count * 4)
        var mapped = 0
        for index in 0..<count {
            let result = mapOne(ownerFrame: indices[index], owner: owner, at: targets[index], in: context.domain)
            if result == 0 { mapped += 1 }
            errors.withUnsafeMutableBytes { $0.storeBytes(of: result, toByteOffset: index * 4, as: Int32.self) }
        }
        try context.guest.write(errors, to: record.u64(24))
        // A replaced mapping may be cached in the caller's TLB.
        if mapped > 0 { context.domain.flushNestedTranslations(context.hypervisor.backend) }
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
