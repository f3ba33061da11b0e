import XenPublic

/// XENMEM_add_to_physmap: shows a hypervisor page in a guest's physical
/// address space. Implemented for XENMAPSPACE_shared_info (idx 0): the
/// domain's shared_info page appears at guest frame `gpfn`. Like Xen:
/// - RAM that was at `gpfn` is taken away (the domain has one page less);
/// - asking again moves the page: the old guest frame is left empty;
/// - a privileged domain may do it for another domain (domid).
/// Unlike Xen, which would keep the RAM page alive for the other mapping,
/// RAM that another domain maps is not taken: the call fails with EBUSY and
/// nothing changes (DomainMemory.depopulate refuses; see
/// DomainMemory.PopulationError.hypercallError for why EBUSY).
/// XENMAPSPACE_grant_table goes to GrantFrameMapping, the same way. Other
/// spaces are -ENOSYS (gmfn ranges are not done here; foreign frames go
/// through add_to_physmap_batch).
///
/// arg: struct xen_add_to_physmap (24 bytes); a 32-bit guest's is
/// compat_add_to_physmap (16 bytes: idx and gpfn are 32-bit).
enum SharedInfoMapping {
    /// The page is not any domain's RAM: its mapping is recorded as a
    /// foreign mapping owned by DOMID_XEN.
    static let hypervisorOwner: UInt16 = 0x7FF2

    static func addToPhysmap(at address: UInt64, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        let request = try readRequest(at: address, context.guest)
        let target = try context.hypervisor.domain(request.domid, from: context.domain)
        let isGrantTable = request.space == UInt32(XENMAPSPACE_grant_table)
        guard request.space == UInt32(XENMAPSPACE_shared_info) || isGrantTable else { throw .notImplemented }
        let frameLimit = isGrantTable ? DomainMemory.mappingFrameLimit : DomainMemory.frameLimit
        guard isGrantTable || request.idx == 0, request.gpfn < UInt64(frameLimit) else { throw .invalidArgument }
        // The RAM page or an older mapping may still be cached: forget it
        // before the guest runs again (it may be the caller, mid-slice),
        // also when the call fails after the RAM went.
        defer { target.flushNestedTranslations(context.hypervisor.backend) }
        if isGrantTable {
            try GrantFrameMapping.map(target, index: request.idx, at: request.gpfn)
        } else {
            try map(target, at: request.gpfn, frames: context.hypervisor.frames)
        }
        return 0
    }

    /// The caller's struct xen_add_to_physmap; a 32-bit guest's
    /// (compat_add_to_physmap) widened to it.
    private static func readRequest(at address: UInt64, _ guest: GuestMemory) throws(HypercallError) -> xen_add_to_physmap {
        guard !guest.state.longModeActive else { return try guest.read(xen_add_to_physmap.self, at: address) }
        let compat = try guest.read(compat_add_to_physmap.self, at: address)
        return xen_add_to_physmap(domid: compat.domid, size: compat.size, space: compat.space,
                                  idx: UInt64(compat.idx), gpfn: UInt64(compat.gpfn))
    }

    /// Maps `domain`'s shared_info page (made now if it has none) at
    /// `guestFrame`, and fills in the time so the guest can read it at once.
    /// The RAM goes first, as that is the step that may be refused; the old
    /// place of the page is unmapped only once the new one is mapped. If
    /// the mapping itself fails for want of memory, the RAM is gone all the
    /// same.
    static func map(_ domain: Domain, at guestFrame: UInt64, frames: FrameSource) throws(HypercallError) {
        guard let page = domain.sharedInfo ?? SharedInfoPage(frames: frames) else { throw .outOfMemory }
        do throws(DomainMemory.PopulationError) {
            if domain.memory.hostFrame(of: guestFrame) != nil { try domain.memory.depopulate(frame: Int(guestFrame)) }
            try domain.memory.mapHypervisorPage(at: guestFrame, hostFrame: page.hostFrame, owner: hypervisorOwner)
        } catch {
            throw error.hypercallError
        }
        if let old = page.guestFrame, old != guestFrame { domain.memory.unmapForeign(at: old) }
        domain.sharedInfo = page
        page.guestFrame = guestFrame
        for vcpu in domain.vcpus { domain.publishTime(of: vcpu, clock: SystemTime.clock) }
    }
}
