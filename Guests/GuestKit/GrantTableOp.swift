import XenPublic

/// grant_table_op: the hypercall wrappers, one struct per call. Map, unmap
/// and copy report each operation's result as a GNTST_* status (0 is
/// success); a HypercallFailure means the call itself failed (the struct
/// could not be read, or the op is not offered).
enum GrantTableOp {
    /// What map_grant_ref gave back: the status and, on success, the
    /// handle that unmap needs.
    struct Mapped {
        let status: Int16
        let handle: grant_handle_t
        var succeeded: Bool { status == Int16(GNTST_okay) }
    }

    /// GNTTABOP_query_size for this domain: (frames now, most frames).
    static func querySize() throws(HypercallFailure) -> (frames: UInt32, maximum: UInt32) {
        var query = gnttab_query_size()
        query.dom = DomainID(DOMID_SELF)
        try call(GNTTABOP_query_size, &query)
        return (query.nr_frames, query.max_nr_frames)
    }

    /// GNTTABOP_map_grant_ref: maps grant `reference` of domain `granter`
    /// at this domain's guest-physical `address` (a frame with no RAM
    /// behind it: see `MemoryOp.emptyFrame`).
    static func map(_ reference: GrantReference, of granter: DomainID, at address: UInt64,
                    readOnly: Bool = false, extraFlags: UInt32 = 0) throws(HypercallFailure) -> Mapped {
        var request = gnttab_map_grant_ref()
        request.host_addr = address
        request.flags = UInt32(GNTMAP_host_map) | (readOnly ? UInt32(GNTMAP_readonly) : 0) | extraFlags
        request.ref = reference
        request.dom = granter
        try call(GNTTABOP_map_grant_ref, &request)
        return Mapped(status: request.status, handle: request.handle)
    }

    /// GNTTABOP_unmap_grant_ref: removes mapping `handle`, which is at
    /// `address`. Returns the status.
    static func unmap(_ handle: grant_handle_t, at address: UInt64) throws(HypercallFailure) -> Int16 {
        var request = gnttab_unmap_grant_ref()
        request.host_addr = address
        request.handle = handle
        try call(GNTTABOP_unmap_grant_ref, &request)
        return request.status
    }

    /// One side of a copy: a grant reference of some domain, or a frame of
    /// this domain's own.
    enum CopyOperand {
        case grant(GrantReference, of: DomainID, offset: UInt16)
        case ownFrame(UInt64, offset: UInt16)

        var pointer: gnttab_copy_ptr {
            var operand = gnttab_copy_ptr()
            switch self {
            case .grant(let reference, let domain, let offset):
                operand.u.ref = reference
                operand.domid = domain
                operand.offset = offset
            case .ownFrame(let frame, let offset):
                operand.u.gmfn = frame
                operand.domid = DomainID(DOMID_SELF)
                operand.offset = offset
            }
            return operand
        }

        var isGrant: Bool {
            if case .grant = self { return true }
            return false
        }
    }

    /// GNTTABOP_copy of `length` bytes; returns the status.
    static func copy(from source: CopyOperand, to destination: CopyOperand,
                     length: UInt16) throws(HypercallFailure) -> Int16 {
        var request = gnttab_copy()
        request.source = source.pointer
        request.dest = destination.pointer
        request.len = length
        request.flags = (source.isGrant ? UInt16(GNTCOPY_source_gref) : 0)
            | (destination.isGrant ? UInt16(GNTCOPY_dest_gref) : 0)
        try call(GNTTABOP_copy, &request)
        return request.status
    }

    private static func call<Request>(_ operation: Int32, _ request: inout Request) throws(HypercallFailure) {
        let result = withUnsafeMutablePointer(to: &request) { pointer in
            Hypercall.call(UInt64(__HYPERVISOR_grant_table_op), UInt64(operation), Hypercall.argument(pointer), 1)
        }
        if result < 0 { throw HypercallFailure(result: result) }
    }
}
