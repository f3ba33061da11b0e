import XenPublic

/// Grant tables used wrongly, each in one way: the status is Xen's
/// (GNTST_*), in the struct, and the hypercall itself returns 0. The
/// results must not depend on which domain this is (dom0, or a holder
/// domU): the grants named are dom0's (none granted to anyone), this
/// domain's own through DOMID_SELF (copy), or no domain's.
enum GrantChecks {
    /// A domain id nothing has.
    static let noDomain: DomainID = 0x7000

    static func run(_ tally: inout CheckTally) {
        do throws(HypercallFailure) {
            try mapChecks(&tally)
            try copyChecks(&tally)
            try tableChecks(&tally)
        } catch {
            print("hostile: grant_table_op failed: \(error.name) (\(error.result))")
            tally.fail("grant_table_op", because: "a call that should have returned 0 failed")
        }
    }

    /// Before this domain has a table (so dom0's, even when this is dom0,
    /// has no frames: reference 8 is beyond it).
    private static func mapChecks(_ tally: inout CheckTally) throws(HypercallFailure) {
        let address = try MemoryOp.emptyFrame()
        let reference = GrantTableClient.firstReference
        tally.expect("map a grant of d0 never given", got: status(try GrantTableOp.map(reference, of: 0, at: address)),
                     expected: Int64(GNTST_bad_gntref))
        tally.expect("map from DOMID_SELF", got: status(try GrantTableOp.map(reference, of: DomainID(DOMID_SELF),
                                                                              at: address)),
                     expected: Int64(GNTST_bad_domain))
        tally.expect("map from no domain", got: status(try GrantTableOp.map(reference, of: noDomain, at: address)),
                     expected: Int64(GNTST_bad_domain))
        tally.expect("map as a device", got: status(try GrantTableOp.map(reference, of: 0, at: address,
                                                                         extraFlags: UInt32(GNTMAP_device_map))),
                     expected: Int64(GNTST_general_error))
        tally.expect("unmap a handle never given", got: Int64(try GrantTableOp.unmap(5, at: address)),
                     expected: Int64(GNTST_bad_handle))
    }

    /// With this domain's own table, entry 8 granted to a domain that does
    /// not exist.
    private static func copyChecks(_ tally: inout CheckTally) throws(HypercallFailure) {
        let table = try GrantTableClient.setUp()
        let page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        let frame = Hypercall.argument(page) >> 12
        guard let reference = table.grantAccess(to: noDomain, frame: frame) else {
            tally.fail("grant access", because: "no free entry")
            return
        }
        let own = GrantTableOp.CopyOperand.ownFrame(frame, offset: 0)
        let self_ = DomainID(DOMID_SELF)
        tally.expect("copy from a grant given to another domain",
                     got: Int64(try GrantTableOp.copy(from: .grant(reference, of: self_, offset: 0), to: own, length: 8)),
                     expected: Int64(GNTST_general_error))
        tally.expect("copy from a reference beyond the table",
                     got: Int64(try GrantTableOp.copy(from: .grant(512, of: self_, offset: 0), to: own, length: 8)),
                     expected: Int64(GNTST_bad_gntref))
        tally.expect("copy past the end of a page",
                     got: Int64(try GrantTableOp.copy(from: .ownFrame(frame, offset: 4000), to: own, length: 200)),
                     expected: Int64(GNTST_bad_copy_arg))
        tally.expect("copy into a grant of no domain",
                     got: Int64(try GrantTableOp.copy(from: own, to: .grant(reference, of: noDomain, offset: 0),
                                                      length: 8)),
                     expected: Int64(GNTST_bad_domain))
        tally.expect("end access to an unmapped grant", got: table.endAccess(reference) ? 1 : 0, expected: 1)
    }

    private static func tableChecks(_ tally: inout CheckTally) throws(HypercallFailure) {
        let size = try GrantTableOp.querySize()
        tally.expect("grant frames after mapping frame 0", got: Int64(size.frames), expected: 1)
        tally.expect("most grant frames", got: Int64(size.maximum), expected: 32)
        var version = gnttab_set_version(version: 2)
        let result = withUnsafeMutablePointer(to: &version) { pointer in
            Hypercall.call(UInt64(__HYPERVISOR_grant_table_op), UInt64(GNTTABOP_set_version),
                           Hypercall.argument(pointer), 1)
        }
        tally.expect("grant table version 2", got: result, expected: -Int64(XEN_ENOSYS))
    }

    private static func status(_ mapped: GrantTableOp.Mapped) -> Int64 { Int64(mapped.status) }
}
