import XenPublic

/// grant_table_op(cmd, uop, count): grant tables, version 1
/// (xen_grant_table.h). `uop` points at `count` structs of the sub-op's
/// kind. Each is read whole, handled, and written back whole before the
/// next is read, as Xen does; a struct that cannot be read or written ends
/// the call with -EFAULT (the ones before it are done). Failures of one
/// operation go into its `status` and the call returns 0.
/// - map_grant_ref, unmap_grant_ref, copy: batches of at most
///   `maximumBatch` (more is -EINVAL: Xen would go on in a continuation);
/// - setup_table, query_size, set_version, get_version: count must be 1;
/// - dump_table, transfer, unmap_and_replace, get_status_frames,
///   swap_grant_ref, cache_flush and any other number: -ENOSYS.
/// A 32-bit guest's setup_table and copy structs have other layouts (a
/// 4-byte handle, a 4-byte frame number): -ENOSYS for those two.
/// This file only decodes; the checks are Core's (Kernel/Core/Grants).
enum GrantTableOpHypercall {
    static let maximumBatch: UInt64 = 512

    @Sendable static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        guard let command = call.command else { throw .notImplemented }
        let address = call.second
        let count = call.third & 0xFFFF_FFFF
        let longMode = context.guest.state.longModeActive
        switch Int32(bitPattern: command) {
        case GNTTABOP_map_grant_ref:
            try batch(count) { index throws(HypercallError) in try map(at: address + index * 32, context) }
        case GNTTABOP_unmap_grant_ref:
            try batch(count) { index throws(HypercallError) in try unmap(at: address + index * 24, context) }
        case GNTTABOP_copy where longMode:
            try batch(count) { index throws(HypercallError) in try copy(at: address + index * 40, context) }
        case GNTTABOP_setup_table where longMode:
            try single(count) { () throws(HypercallError) in try setupTable(at: address, context) }
        case GNTTABOP_query_size:
            try single(count) { () throws(HypercallError) in try querySize(at: address, context) }
        case GNTTABOP_set_version:
            try single(count) { () throws(HypercallError) in try setVersion(at: address, context) }
        case GNTTABOP_get_version:
            try single(count) { () throws(HypercallError) in try getVersion(at: address, context) }
        default:
            throw .notImplemented
        }
        return 0
    }

    private static func batch(_ count: UInt64, _ body: (UInt64) throws(HypercallError) -> Void) throws(HypercallError) {
        guard count <= maximumBatch else { throw .invalidArgument }
        for index in 0..<count { try body(index) }
    }

    private static func single(_ count: UInt64, _ body: () throws(HypercallError) -> Void) throws(HypercallError) {
        guard count == 1 else { throw .invalidArgument }
        try body()
    }

    /// The status of one operation: 0, or its GNTST_* code.
    private static func status(_ body: () throws(GrantStatus) -> Void) -> Int16 {
        do {
            try body()
            return Int16(GNTST_okay)
        } catch {
            return error.code
        }
    }

    private static func map(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        var request = try context.guest.read(gnttab_map_grant_ref.self, at: address)
        var handle: UInt32 = 0
        request.status = status { () throws(GrantStatus) in
            handle = try context.hypervisor.mapGrant(request.ref, of: request.dom, at: request.host_addr,
                                                     flags: request.flags, by: context.domain)
        }
        request.handle = request.status == Int16(GNTST_okay) ? handle : 0
        // No device mappings, and a host address is not the guest's business.
        request.dev_bus_addr = 0
        try context.guest.write(request, to: address)
    }

    private static func unmap(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        var request = try context.guest.read(gnttab_unmap_grant_ref.self, at: address)
        request.status = status { () throws(GrantStatus) in
            // There are no device mappings whose address could match.
            guard request.dev_bus_addr == 0 else { throw .generalError }
            try context.hypervisor.unmapGrant(request.handle, at: request.host_addr, by: context.domain)
        }
        try context.guest.write(request, to: address)
    }

    private static func copy(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        var request = try context.guest.read(gnttab_copy.self, at: address)
        request.status = status { () throws(GrantStatus) in try context.hypervisor.copyGrant(request, by: context.domain) }
        try context.guest.write(request, to: address)
    }

    /// The domain a table op names: DOMID_SELF or the caller, another one
    /// only for a privileged caller (GNTST_bad_domain, then
    /// GNTST_permission_denied, as Xen's checks in that order).
    private static func tableDomain(_ id: UInt16, _ context: HypercallContext) throws(GrantStatus) -> Domain {
        guard let domain = context.hypervisor.grantDomain(id, caller: context.domain) else { throw .badDomain }
        guard domain === context.domain || context.domain.isPrivileged else { throw .permissionDenied }
        return domain
    }

    /// Grows the table to nr_frames and writes, for each frame, the guest
    /// frame where the domain mapped it, or ~0 where it has not (a PVH
    /// guest places its frames with add_to_physmap, as under Xen). Asking
    /// for more than the maximum is GNTST_general_error.
    private static func setupTable(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        var request = try context.guest.read(gnttab_setup_table.self, at: address)
        var frameList: [UInt64] = []
        request.status = status { () throws(GrantStatus) in
            let domain = try tableDomain(request.dom, context)
            let table = domain.grantTable
            guard Int(request.nr_frames) <= GrantTable.maximumFrames, table.grow(to: Int(request.nr_frames)) else {
                throw .generalError
            }
            frameList = (0..<Int(request.nr_frames)).map { table.guestFrames[$0] ?? ~0 }
        }
        if !frameList.isEmpty { try context.guest.write(contentsOf: frameList, to: request.frame_list) }
        try context.guest.write(request, to: address)
    }

    private static func querySize(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        var request = try context.guest.read(gnttab_query_size.self, at: address)
        request.status = status { () throws(GrantStatus) in
            let domain = try tableDomain(request.dom, context)
            request.nr_frames = UInt32(domain.grantTable.frameCount)
            request.max_nr_frames = UInt32(GrantTable.maximumFrames)
        }
        try context.guest.write(request, to: address)
    }

    /// Version 1 only: 2 is -ENOSYS, as Xen answers when version 2 is
    /// turned off; any other number -EINVAL. The version in use goes back
    /// in the struct either way.
    private static func setVersion(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        var request = try context.guest.read(gnttab_set_version.self, at: address)
        let asked = request.version
        request.version = 1
        try context.guest.write(request, to: address)
        if asked == 2 { throw .notImplemented }
        guard asked == 1 else { throw .invalidArgument }
    }

    /// -ESRCH for no such domain, -EPERM for another one from an
    /// unprivileged caller (Hypervisor.domain(_:from:)).
    private static func getVersion(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        var request = try context.guest.read(gnttab_get_version.self, at: address)
        _ = try context.hypervisor.domain(request.dom, from: context.domain)
        request.version = 1
        try context.guest.write(request, to: address)
    }
}
