import GuestSupport
import XenPublic

/// Blkback's way to a frontend's data pages: GNTTABOP_copy between the
/// granted page and dom0's own bounce buffer, so dom0 never maps a
/// guest's data page. Dom0's RAM is identity-mapped, so a bounce buffer's
/// address is its guest-physical address and `address >> 12` its frame.
///
/// One copy may not cross a page on either side, and a segment's place in
/// the bounce buffer follows the segments before it, so one segment can
/// straddle two of dom0's pages: it goes as two copies then.
final class Dom0GrantCopier: GrantCopier, SharedRingBarrier {
    static let pageSize = 4096

    func copy(from reference: UInt32, of frontend: UInt16, offset: Int, length: Int,
              into buffer: UnsafeMutableRawPointer) -> Bool {
        eachPiece(offset: offset, length: length, local: UnsafeRawPointer(buffer)) { (grantOffset, local, count) throws(HypercallFailure) -> Int16 in
            try GrantTableOp.copy(from: .grant(reference, of: frontend, offset: UInt16(grantOffset)),
                                  to: Self.ownFrame(local), length: UInt16(count))
        }
    }

    func copy(to reference: UInt32, of frontend: UInt16, offset: Int, length: Int,
              from buffer: UnsafeRawPointer) -> Bool {
        eachPiece(offset: offset, length: length, local: buffer) { (grantOffset, local, count) throws(HypercallFailure) -> Int16 in
            try GrantTableOp.copy(from: Self.ownFrame(local),
                                  to: .grant(reference, of: frontend, offset: UInt16(grantOffset)), length: UInt16(count))
        }
    }

    func sharedMemoryBarrier() {
        shared_memory_barrier()
    }

    private static func ownFrame(_ local: UnsafeRawPointer) -> GrantTableOp.CopyOperand {
        let address = Hypercall.argument(local)
        return .ownFrame(address >> 12, offset: UInt16(address & 0xFFF))
    }

    /// Runs `copy` for each run of the range that stays inside one local
    /// page; false at the first status that is not GNTST_okay.
    private func eachPiece(offset: Int, length: Int, local: UnsafeRawPointer,
                           _ copy: (Int, UnsafeRawPointer, Int) throws(HypercallFailure) -> Int16) -> Bool {
        guard offset >= 0, length > 0, offset + length <= Self.pageSize else { return false }
        var done = 0
        while done < length {
            let here = local + done
            let roomInPage = Self.pageSize - Int(Hypercall.argument(here) & 0xFFF)
            let count = min(length - done, roomInPage)
            do throws(HypercallFailure) {
                let status = try copy(offset + done, here, count)
                guard status == Int16(GNTST_okay) else { return false }
            } catch {
                return false
            }
            done += count
        }
        return true
    }
}
