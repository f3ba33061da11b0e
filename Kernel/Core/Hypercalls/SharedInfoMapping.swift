import XenPublic

/// XENMEM_add_to_physmap: shows a hypervisor page in a guest's physical
/// address space. Implemented for XENMAPSPACE_shared_info (idx 0): the
/// domain's shared_info page appears at guest frame `gpfn`. Like Xen:
/// - RAM that was at `gpfn` is taken away (the domain has one page less);
/// - asking again moves the page: the old guest frame is left empty;
/// - a privileged domain may do it for another domain (domid).
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
        try map(target, at: guestFrame, frames: context.hypervisor.frames)
        // The RAM page or an older mapping may still be cached: forget it
        // before the guest runs again (it may be the caller, mid-slice).
        target.flushNestedTranslations(context.hypervisor.backend)
        return 0
    }

    /// Maps `domain`'s shared_info page (made now if it has none) at
    /// `guestFrame`, and fills in the time so the guest can read it at once.
    static func map(_ domain: Domain, at guestFrame: UInt64, frames: FrameSource) throws(HypercallError) {
        guard let page = domain.sharedInfo ?? SharedInfoPage(frames: frames) else { throw .outOfMemory }
        domain.sharedInfo = page
        if let old = page.guestFrame, old != guestFrame { domain.memory.unmapForeign(at: old) }
        if domain.memory.hostFrame(of: guestFrame) != nil {
            do { try domain.memory.depopulate(frame: Int(guestFrame)) } catch { throw .invalidArgument }
        }
        do {
            try domain.memory.mapForeign(at: guestFrame, owner: hypervisorOwner, ownerFrame: 0, hostFrame: page.hostFrame)
        } catch .outOfMemory {
            throw .outOfMemory
        } catch {
            throw .invalidArgument
        }
        page.guestFrame = guestFrame
        for vcpu in domain.vcpus { domain.publishTime(of: vcpu, clock: SystemTime.clock) }
    }
}
