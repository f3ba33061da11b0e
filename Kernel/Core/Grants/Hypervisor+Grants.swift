import XenPublic

/// Map, unmap and copy of granted frames, between domains: the checks are
/// Xen's, in Xen's order, so a guest sees the status Xen would give it.
/// Frames are reached only through their owners' DomainMemory, and every
/// mapping holds a reference in FrameReferences (DomainMemory.mapGrant):
/// a mapped frame is not freed while mapped, whoever lets it go first.
extension Hypervisor {
    /// The domain a grant op names by id: DOMID_SELF is the caller. No
    /// privilege is needed; the grant entry says who may use it.
    func grantDomain(_ id: UInt16, caller: Domain) -> Domain? {
        id == UInt16(DOMID_SELF) ? caller : domains.first { $0.id == id }
    }

    /// GNTTABOP_map_grant_ref for a PVH mapper: shows the frame granted by
    /// entry `reference` of domain `granterID` at guest-physical `address`
    /// of `mapper`, and returns the mapping's handle.
    func mapGrant(_ reference: UInt32, of granterID: UInt16, at address: UInt64, flags: UInt32,
                  by mapper: Domain) throws(GrantStatus) -> UInt32 {
        guard flags & (UInt32(GNTMAP_device_map) | UInt32(GNTMAP_host_map)) != 0 else { throw .badReference }
        // As for Xen's HVM guests: no device, user or PTE mappings.
        let unsupported = UInt32(GNTMAP_device_map) | UInt32(GNTMAP_application_map) | UInt32(GNTMAP_contains_pte)
        guard flags & unsupported == 0 else { throw .generalError }
        // By its id only: DOMID_SELF is not a domain here, as in Xen.
        guard let granter = domains.first(where: { $0.id == granterID }) else { throw .badDomain }
        guard mapper.grantMappings.count < MaptrackTable.maximumMappings else { throw .noDeviceSpace }
        let table = granter.grantTable
        guard let entry = table.entry(reference) else { throw .badReference }
        let readOnly = flags & UInt32(GNTMAP_readonly) != 0
        let active = table.activeGrant(reference)
        if let active, active.mapper != mapper.id { throw .generalError }
        if active == nil || (!readOnly && active!.writableMappings == 0) {
            try Self.checkEntry(entry, for: mapper, writable: !readOnly, mapping: true, pinned: active != nil)
        }
        let guestFrame = active?.guestFrame ?? UInt64(entry.frame)
        guard let hostFrame = active?.hostFrame ?? granter.memory.hostFrame(of: guestFrame) else { throw .badPage }

        let mapperFrame = address / 4096
        do {
            try mapper.memory.mapGrant(at: mapperFrame, hostFrame: hostFrame, ownerID: granter.id,
                                       ownerFrame: guestFrame, writable: !readOnly)
        } catch {
            throw .generalError
        }
        let mapping = GrantMapping(granter: granter.id, reference: reference, guestFrame: mapperFrame,
                                   hostFrame: hostFrame, isReadOnly: readOnly)
        guard let handle = mapper.grantMappings.insert(mapping) else {
            mapper.memory.unmapGrant(at: mapperFrame, hostFrame: hostFrame)
            throw .noDeviceSpace
        }
        table.addMapping(reference, writable: !readOnly,
                         first: ActiveGrant(reference: reference, mapper: mapper.id, guestFrame: guestFrame,
                                            hostFrame: hostFrame, mappings: 0, writableMappings: 0))
        return handle
    }

    /// Xen's test of a shared entry before a use: the type must be
    /// GTF_permit_access (not a sub-page grant, for a mapping) for this very
    /// domain, unless the entry is already in use (`pinned`: then the
    /// active entry decides); a write needs an entry without GTF_readonly.
    static func checkEntry(_ entry: grant_entry_v1, for user: Domain, writable: Bool, mapping: Bool,
                           pinned: Bool) throws(GrantStatus) {
        // LAB 6 BEGIN: Xen's test of a grant entry: type, grantee, read-only
        // LAB 6 STUB: fatalError("lab 6: Hypervisor.checkEntry is yours to write (Docs/labs/lab6-grant-tables.md)")
        let mask = UInt16(GTF_type_mask) | (mapping ? UInt16(GTF_sub_page) : 0)
        if !pinned, entry.flags & mask != UInt16(GTF_permit_access) || entry.domid != user.id {
            throw .generalError
        }
        if writable, entry.flags & UInt16(GTF_readonly) != 0 { throw .generalError }
        // LAB 6 END
    }

    /// GNTTABOP_unmap_grant_ref: removes mapping `handle` of `mapper`,
    /// which must be at guest-physical `address`.
    func unmapGrant(_ handle: UInt32, at address: UInt64, by mapper: Domain) throws(GrantStatus) {
        // LAB 6 BEGIN: GNTTABOP_unmap_grant_ref: a known handle, at the address it was mapped at
        // LAB 6 STUB: fatalError("lab 6: Hypervisor.unmapGrant is yours to write (Docs/labs/lab6-grant-tables.md)")
        guard let mapping = mapper.grantMappings.mapping(handle) else { throw .badHandle }
        guard address / 4096 == mapping.guestFrame else { throw .generalError }
        removeGrantMapping(handle, of: mapper)
        // LAB 6 END
    }

    /// Takes mapping `handle` out of the mapper's physmap and maptrack, and
    /// out of the granter's active entry while the granter exists.
    private func removeGrantMapping(_ handle: UInt32, of mapper: Domain) {
        guard let mapping = mapper.grantMappings.remove(handle) else { return }
        if mapper.memory.unmapGrant(at: mapping.guestFrame, hostFrame: mapping.hostFrame) {
            mapper.flushNestedTranslations(backend)
        }
        guard mapping.granterExists, let granter = domains.first(where: { $0.id == mapping.granter }) else { return }
        granter.grantTable.removeMapping(mapping.reference, writable: !mapping.isReadOnly)
    }

    /// Before `domain` is destroyed: the grants it maps are unmapped (its
    /// granters' entries are no longer in use), and the mappings of its own
    /// grants in other domains forget it; they stay, holding their frames,
    /// until their mapper unmaps them.
    func releaseGrants(of domain: Domain) {
        for handle in domain.grantMappings.handles { removeGrantMapping(handle, of: domain) }
        for other in domains where other !== domain { other.grantMappings.forgetGranter(domain.id) }
    }

    /// GNTTABOP_copy, one struct: `len` bytes from source to dest.
    func copyGrant(_ copy: gnttab_copy, by caller: Domain) throws(GrantStatus) {
        let sourceIsGrant = copy.flags & UInt16(GNTCOPY_source_gref) != 0
        let destinationIsGrant = copy.flags & UInt16(GNTCOPY_dest_gref) != 0
        let sourceDomain = try copyDomain(copy.source, isGrant: sourceIsGrant, caller: caller)
        let destinationDomain = try copyDomain(copy.dest, isGrant: destinationIsGrant, caller: caller)
        let source = try copyFrame(copy.source, in: sourceDomain, isGrant: sourceIsGrant, forWrite: false,
                                   caller: caller)
        let destination = try copyFrame(copy.dest, in: destinationDomain, isGrant: destinationIsGrant,
                                        forWrite: true, caller: caller)
        // LAB 6 BEGIN: GNTTABOP_copy's bounds: neither side may cross its frame; then copy
        // LAB 6 STUB: fatalError("lab 6: the copy in Hypervisor.copyGrant is yours to write (Docs/labs/lab6-grant-tables.md)")
        let length = Int(copy.len)
        guard Int(copy.source.offset) + length <= 4096, Int(copy.dest.offset) + length <= 4096 else {
            throw .badCopyArgument
        }
        let memory = frames.physicalMemory
        memory.pointer(destination + UInt64(copy.dest.offset))
            .copyMemory(from: memory.pointer(source + UInt64(copy.source.offset)), byteCount: length)
        // LAB 6 END
    }

    /// A copy operand's domain: any domain for a grant reference; only the
    /// caller itself (DOMID_SELF or its id, as Xen since 4.15) for a frame.
    private func copyDomain(_ operand: gnttab_copy_ptr, isGrant: Bool, caller: Domain) throws(GrantStatus) -> Domain {
        guard let domain = grantDomain(operand.domid, caller: caller) else { throw .badDomain }
        guard isGrant || domain === caller else { throw .permissionDenied }
        return domain
    }

    /// The host frame a copy operand names, checked as Xen checks it.
    private func copyFrame(_ operand: gnttab_copy_ptr, in domain: Domain, isGrant: Bool, forWrite: Bool,
                           caller: Domain) throws(GrantStatus) -> UInt64 {
        guard isGrant else {
            guard let host = domain.memory.hostFrame(of: operand.u.gmfn) else { throw .badPage }
            return host
        }
        let reference = operand.u.ref
        guard let entry = domain.grantTable.entry(reference) else { throw .badReference }
        let active = domain.grantTable.activeGrant(reference)
        if let active, active.mapper != caller.id { throw .generalError }
        if active == nil || (forWrite && active!.writableMappings == 0) {
            try Self.checkEntry(entry, for: caller, writable: forWrite, mapping: false, pinned: active != nil)
        }
        guard let host = active?.hostFrame ?? domain.memory.hostFrame(of: UInt64(entry.frame)) else { throw .badPage }
        return host
    }
}
