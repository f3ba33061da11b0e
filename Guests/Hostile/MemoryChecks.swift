import GuestSupport
import XenPublic

/// The domain's own RAM through memory_op, as Xen answers: a domain at its
/// max_mem may give a frame back and take one anywhere below 4 GiB instead
/// (at the very top, say), but not one more; and the hypervisor's own
/// bookkeeping for that frame must not grow with its number (a flat map
/// indexed by frame number once made the second call exhaust the heap).
/// It runs before the other checks: it needs the domain at its max_mem.
enum MemoryChecks {
    static let topFrame: UInt64 = 0xFFFFF

    static func run(_ tally: inout CheckTally) {
        // A page this guest never touches again: it is given back first.
        let page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        let ownFrame = Hypercall.argument(page) >> 12
        tally.expect("decrease_reservation of one own frame", got: reservation(XENMEM_decrease_reservation, ownFrame), expected: 1)
        tally.expect("populate_physmap at frame 0xfffff", got: reservation(XENMEM_populate_physmap, topFrame), expected: 1)
        tally.expect("populate_physmap past max_mem", got: reservation(XENMEM_populate_physmap, topFrame - 1), expected: 0)
        tally.expect("populate_physmap where there is RAM", got: reservation(XENMEM_populate_physmap, topFrame), expected: 0)
        tally.expect("decrease_reservation of frame 0xfffff", got: reservation(XENMEM_decrease_reservation, topFrame), expected: 1)
        tally.expect("populate_physmap of the own frame again", got: reservation(XENMEM_populate_physmap, ownFrame), expected: 1)
    }

    /// One order-0 extent of DOMID_SELF; the raw result (extents done, or -errno).
    private static func reservation(_ command: Int32, _ frame: UInt64) -> Int64 {
        let list = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        list.pointee = frame
        var request = xen_memory_reservation()
        request.extent_start = Hypercall.argument(list)
        request.nr_extents = 1
        request.extent_order = 0
        request.domid = DomainID(DOMID_SELF)
        return withUnsafeMutablePointer(to: &request) { pointer in
            Hypercall.call(UInt64(__HYPERVISOR_memory_op), UInt64(command), Hypercall.argument(pointer))
        }
    }
}
