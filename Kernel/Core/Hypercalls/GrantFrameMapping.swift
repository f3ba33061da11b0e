import XenPublic

/// XENMEM_add_to_physmap with XENMAPSPACE_grant_table: shows frame `idx` of
/// the domain's grant table at guest frame `gpfn`, which is how a PVH guest
/// (Linux's gnttab_map) reaches its own table. As in Xen:
/// - the table grows to idx + 1 frames if it is shorter (up to
///   GrantTable.maximumFrames; beyond, or with no frame left, -EINVAL);
/// - RAM that was at `gpfn` is taken away (the domain has one page less);
/// - asking again for the same idx moves the frame;
/// - `gpfn` may be above 4 GiB (below DomainMemory.mappingFrameLimit):
///   Linux places its grant frames in unpopulated space past its RAM, at
///   the 4 GiB line or beyond;
/// - idx with XENMAPIDX_grant_table_status names a version-2 status
///   frame: -EINVAL here (version 1 has none).
/// The frame is the hypervisor's, shown like shared_info, as a mapping
/// owned by DOMID_XEN that holds a reference (FrameReferences).
enum GrantFrameMapping {
    static func map(_ domain: Domain, index: UInt64, at guestFrame: UInt64) throws(HypercallError) {
        guard index & UInt64(XENMAPIDX_grant_table_status) == 0, index < UInt64(GrantTable.maximumFrames),
              guestFrame < UInt64(DomainMemory.mappingFrameLimit) else { throw .invalidArgument }
        let table = domain.grantTable
        guard table.grow(to: Int(index) + 1) else { throw .invalidArgument }
        let hostFrame = table.hostFrames[Int(index)]
        do throws(DomainMemory.PopulationError) {
            if domain.memory.hostFrame(of: guestFrame) != nil { try domain.memory.depopulate(frame: Int(guestFrame)) }
            try domain.memory.mapHypervisorPage(at: guestFrame, hostFrame: hostFrame,
                                                owner: SharedInfoMapping.hypervisorOwner,
                                                frameLimit: DomainMemory.mappingFrameLimit)
        } catch {
            throw error.hypercallError
        }
        if let old = table.guestFrames[Int(index)], old != guestFrame { domain.memory.unmapForeign(at: old) }
        table.guestFrames[Int(index)] = guestFrame
    }
}
