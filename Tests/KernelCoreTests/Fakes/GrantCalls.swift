import XCTest
import XenPublic
@testable import KernelCore

/// grant_table_op calls run through the dispatcher, their structs at
/// GuestBuffer.batch in the caller's RAM (long mode: 64-bit layouts).
extension HypervisorFixture {
    static let grantBuffer = GuestBuffer.batch

    /// Writes `entry` into `granter`'s table (made long enough first), as
    /// the granting guest would.
    func writeGrant(_ granter: Domain, _ reference: UInt32, flags: UInt32, domid: UInt16, frame: UInt32) {
        let table = granter.grantTable
        XCTAssertTrue(table.grow(to: Int(reference) / GrantTable.entriesPerFrame + 1))
        let host = table.hostFrames[Int(reference) / GrantTable.entriesPerFrame]
            + UInt64(Int(reference) % GrantTable.entriesPerFrame * 8)
        fake.physicalMemory.pointer(host).storeBytes(
            of: grant_entry_v1(flags: UInt16(flags), domid: domid, frame: frame), as: grant_entry_v1.self)
    }

    func grantFlags(_ granter: Domain, _ reference: UInt32) -> UInt16 {
        granter.grantTable.entry(reference)!.flags
    }

    func grantTableOp<T>(_ caller: Domain, _ command: Int32, _ operations: [T],
                         at address: UInt64 = grantBuffer, count: UInt64? = nil) -> (UInt64, [T]) {
        for (index, operation) in operations.enumerated() {
            caller.memory.put(operation, at: address + UInt64(index * MemoryLayout<T>.size))
        }
        let result = call(caller, __HYPERVISOR_grant_table_op, UInt64(command), address,
                          count ?? UInt64(operations.count))
        let after = operations.indices.map { caller.memory.load(T.self, at: address + UInt64($0 * MemoryLayout<T>.size)) }
        return (result, after)
    }

    /// One map_grant_ref: the hypercall's result and the struct after.
    func mapGrant(_ caller: Domain, reference: UInt32, of granter: UInt16, at address: UInt64,
                  flags: UInt32 = UInt32(GNTMAP_host_map)) -> (UInt64, gnttab_map_grant_ref) {
        let request = gnttab_map_grant_ref(host_addr: address, flags: flags, ref: reference, dom: granter,
                                           status: 0x5555, handle: 0x5555_5555, dev_bus_addr: 0x5555)
        let (result, after) = grantTableOp(caller, GNTTABOP_map_grant_ref, [request])
        return (result, after[0])
    }

    /// One unmap_grant_ref: its status (or the hypercall's failure, as Int64).
    func unmapGrant(_ caller: Domain, handle: UInt32, at address: UInt64) -> Int16 {
        let request = gnttab_unmap_grant_ref(host_addr: address, dev_bus_addr: 0, handle: handle, status: 0x5555)
        let (result, after) = grantTableOp(caller, GNTTABOP_unmap_grant_ref, [request])
        XCTAssertEqual(result, ReturnValue.ok)
        return after[0].status
    }

    func copyGrant(_ caller: Domain, source: gnttab_copy_ptr, dest: gnttab_copy_ptr, length: UInt16,
                   flags: UInt32) -> Int16 {
        let request = gnttab_copy(source: source, dest: dest, len: length, flags: UInt16(flags), status: 0x5555)
        let (result, after) = grantTableOp(caller, GNTTABOP_copy, [request])
        XCTAssertEqual(result, ReturnValue.ok)
        return after[0].status
    }
}

extension gnttab_copy_ptr {
    static func reference(_ reference: UInt32, of domid: UInt16, offset: UInt16 = 0) -> gnttab_copy_ptr {
        var operand = gnttab_copy_ptr()
        operand.u.ref = reference
        operand.domid = domid
        operand.offset = offset
        return operand
    }

    static func frame(_ frame: UInt64, of domid: UInt16 = UInt16(DOMID_SELF), offset: UInt16 = 0) -> gnttab_copy_ptr {
        var operand = gnttab_copy_ptr()
        operand.u.gmfn = frame
        operand.domid = domid
        operand.offset = offset
        return operand
    }
}
