import GuestSupport
import XenPublic

/// GNTTABOP_copy of a whole page between two of the guest's own frames,
/// both named by frame number (gmfn) with DOMID_SELF, no grant reference:
/// the hypercall's own cost plus the hypervisor's 4 KiB copy, without the
/// grant-table look-ups a copy between domains adds.
enum GrantCopyRow {
    static func run(_ timing: TimingRow) {
        let source = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        let destination = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        source.initializeMemory(as: UInt8.self, repeating: 0x5A, count: 4096)
        destination.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
        // Identity-mapped: the frame number is the address over 4 KiB.
        let from = GrantTableOp.CopyOperand.ownFrame(Hypercall.argument(source) >> 12, offset: 0)
        let to = GrantTableOp.CopyOperand.ownFrame(Hypercall.argument(destination) >> 12, offset: 0)
        do throws(HypercallFailure) {
            let status = try GrantTableOp.copy(from: from, to: to, length: 4096)
            guard status == Int16(GNTST_okay) else {
                return TimingRow.skip("grant-copy-4k", "GNTTABOP_copy between own frames: status \(status)")
            }
            guard destination.load(fromByteOffset: 4095, as: UInt8.self) == 0x5A else {
                return TimingRow.skip("grant-copy-4k", "GNTTABOP_copy said okay but copied nothing")
            }
            TimingRow.printRow("grant-copy-4k", timing.loopValues {
                _ = try? GrantTableOp.copy(from: from, to: to, length: 4096)
            }, "GNTTABOP_copy of 4 KiB between two own frames (gmfn, DOMID_SELF)")
        } catch {
            TimingRow.skip("grant-copy-4k", "GNTTABOP_copy: \(error.name) (\(error.result))")
        }
    }
}
