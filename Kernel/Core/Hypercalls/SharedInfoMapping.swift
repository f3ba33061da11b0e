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
/// Other spaces are -ENOSYS (grant tables, gmfn ranges are not done here;
/// foreign frames go through add_to_physmap_batch).
///
/// struct xen_add_to_physmap: domid 0, size 2, space 4, idx 8, gpfn 16
/// (24 bytes); a 32-bit guest's idx and gpfn are 32-bit, at 8 and 12.
enum SharedInfoMapping {
    /// The page is not any domain's RAM: its mapping is recorded as a
    /// foreign mapping owned by DOMID_XEN.
    static let hypervisorOwner: UInt16 = 0x7FF2

    static func addToPhysmap(at address: UInt64, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        let longMode = context.guest.state.longModeActive
        let bytes = try context.guest.read(from: address, count: longMode ? 24 : 16)
        let (domainID, space, index, guestFrame) = bytes.withUnsafeBytes { raw in
            (raw.loadUnaligned(fromByteOffset: 0, as: UInt16.self),
             raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self),
             longMode ? raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                      : UInt64(raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)),
             longMode ? raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
                      : UInt64(raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self)))
        }
        let target = try context.hypervisor.domain(domainID, from: context.domain)
        guard space == UInt32(XENMAPSPACE_shared_info) else { throw .notImplemented }
        guard index == 0, guestFrame < UInt64(DomainMemory.frameLimit) else { throw .invalidArgument }
        // The RAM page or an older mapping may still be cached: forget it
        // before the guest runs again (it may be the caller, mid-slice),
        // also when the call fails after the RAM went.
        defer { target.flushNestedTranslations(context.hypervisor.backend) }
        try map(target, at: guestFrame, frames: context.hypervisor.frames)
        return 0
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
