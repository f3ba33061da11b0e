import XenPublic

/// This domain's own grant table, seen from the guest: its first frame,
/// mapped into the guest's physmap with XENMEM_add_to_physmap
/// (XENMAPSPACE_grant_table, idx 0), as a PVH Linux maps its frames. The
/// guest writes the entries; the hypervisor only sets and clears
/// GTF_reading/GTF_writing while another domain maps a page.
///
/// One frame gives 512 entries; 0 to 7 are the toolstack's, so references
/// are handed out from 8, lowest free first (the first grant of a domain is
/// always 8, which the boot scenario relies on, as ping-pong relies on a
/// domain's first port being 1).
final class GrantTableClient {
    static let firstReference = GrantReference(GNTTAB_NR_RESERVED_ENTRIES)
    static let entryCount = 4096 / MemoryLayout<grant_entry_v1>.size

    private let entries: UnsafeMutablePointer<grant_entry_v1>

    private init(entries: UnsafeMutablePointer<grant_entry_v1>) {
        self.entries = entries
    }

    /// Takes a page-aligned page of the heap and has the table's frame 0
    /// shown there instead (the RAM under it is given up).
    static func setUp() throws(HypercallFailure) -> GrantTableClient {
        let page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        var request = xen_add_to_physmap()
        request.domid = DomainID(DOMID_SELF)
        request.space = UInt32(XENMAPSPACE_grant_table)
        request.idx = 0
        request.gpfn = Hypercall.argument(page) >> 12
        let result = withUnsafeMutablePointer(to: &request) { pointer in
            Hypercall.call(UInt64(__HYPERVISOR_memory_op), UInt64(XENMEM_add_to_physmap), Hypercall.argument(pointer))
        }
        if result < 0 { throw HypercallFailure(result: result) }
        return GrantTableClient(entries: page.assumingMemoryBound(to: grant_entry_v1.self))
    }

    /// Lets `domain` map or copy this domain's page at guest frame `frame`
    /// (read only if `readOnly`). Returns the reference to give it; nil
    /// when every entry is in use.
    func grantAccess(to domain: DomainID, frame: UInt64, readOnly: Bool = false) -> GrantReference? {
        guard let reference = freeReference() else { return nil }
        let entry = entries + Int(reference)
        // domid and frame before flags: the entry is valid only once whole.
        entry.pointee.domid = domain
        entry.pointee.frame = UInt32(truncatingIfNeeded: frame)
        entry.pointee.flags = UInt16(GTF_permit_access) | (readOnly ? UInt16(GTF_readonly) : 0)
        return reference
    }

    /// Whether the other domain has the page mapped now (GTF_reading or
    /// GTF_writing, which the hypervisor keeps).
    func isMapped(_ reference: GrantReference) -> Bool {
        entries[Int(reference)].flags & (UInt16(GTF_reading) | UInt16(GTF_writing)) != 0
    }

    /// The entry's flags as they are now.
    func flags(_ reference: GrantReference) -> UInt16 { entries[Int(reference)].flags }

    /// Ends the grant; false (and nothing changes) while the page is still
    /// mapped: the page must not be reused until the other side unmapped.
    func endAccess(_ reference: GrantReference) -> Bool {
        guard !isMapped(reference) else { return false }
        entries[Int(reference)].flags = UInt16(GTF_invalid)
        return true
    }

    private func freeReference() -> GrantReference? {
        for index in Int(Self.firstReference)..<Self.entryCount where entries[index].flags & UInt16(GTF_type_mask) == 0 {
            return GrantReference(index)
        }
        return nil
    }
}
