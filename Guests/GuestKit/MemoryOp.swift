import XenPublic

/// memory_op: which guest-physical frames of a domain have RAM behind them.
/// Dom0's domain builder uses it to give a new domain its memory and to see
/// that memory through its own address space (see `ForeignMemoryWindow`).
enum MemoryOp {
    /// The most frames one add_to_physmap_batch call may map (the
    /// hypervisor's limit); also the batch size `populate(_:run:)` uses.
    static let maximumBatch = 512

    /// populate_physmap: gives `domain` one 4 KiB page of RAM at each guest
    /// frame number in `frames`. Returns how many were done: fewer than
    /// asked means the rest failed (out of memory, over max_mem, already
    /// populated).
    static func populate(_ domain: DomainID, frames: UnsafeBufferPointer<UInt64>) throws(HypercallFailure) -> Int {
        guard let list = frames.baseAddress, frames.count > 0 else { return 0 }
        var reservation = xen_memory_reservation()
        reservation.extent_start = Hypercall.argument(list)
        reservation.nr_extents = UInt64(frames.count)
        reservation.extent_order = 0
        reservation.domid = domain
        return Int(try call(XENMEM_populate_physmap, &reservation))
    }

    /// decrease_reservation: gives the RAM at each of this domain's guest
    /// frames in `frames` back to the hypervisor; the frames are then empty
    /// guest-physical space. Returns how many were done.
    static func decreaseReservation(frames: UnsafeBufferPointer<UInt64>) throws(HypercallFailure) -> Int {
        guard let list = frames.baseAddress, frames.count > 0 else { return 0 }
        var reservation = xen_memory_reservation()
        reservation.extent_start = Hypercall.argument(list)
        reservation.nr_extents = UInt64(frames.count)
        reservation.extent_order = 0
        reservation.domid = DomainID(DOMID_SELF)
        return Int(try call(XENMEM_decrease_reservation, &reservation))
    }

    /// populate_physmap for the run of frames `frames`, in batches.
    /// Returns how many were done, counting from the start of the run.
    static func populate(_ domain: DomainID, run frames: Range<UInt64>) throws(HypercallFailure) -> UInt64 {
        let batchSize = maximumBatch
        var done: UInt64 = 0
        // The frame list lives on the stack: populating must not use up
        // the guest's never-freeing heap.
        return try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: batchSize) {
            (list) throws(HypercallFailure) -> UInt64 in
            var next = frames.lowerBound
            while next < frames.upperBound {
                let count = Int(min(UInt64(batchSize), frames.upperBound - next))
                for index in 0..<count { list[index] = next + UInt64(index) }
                let batchDone = try populate(domain, frames: UnsafeBufferPointer(rebasing: list[0..<count]))
                done += UInt64(batchDone)
                if batchDone < count { break }
                next += UInt64(count)
            }
            return done
        }
    }

    /// add_to_physmap_batch with XENMAPSPACE_gmfn_foreign: maps frame
    /// `foreignFrames[i]` of `foreign` at this domain's own frame
    /// `localFrames[i]`, replacing whatever foreign frame was mapped there.
    /// `errors[i]` gets 0 or -errno for each frame. Privileged domains only.
    static func mapForeign(_ foreign: DomainID, foreignFrames: UnsafeBufferPointer<UInt64>,
                           at localFrames: UnsafeBufferPointer<UInt64>,
                           errors: UnsafeMutableBufferPointer<Int32>) throws(HypercallFailure) {
        precondition(foreignFrames.count == localFrames.count && errors.count >= foreignFrames.count)
        guard foreignFrames.count > 0 else { return }
        guard foreignFrames.count <= maximumBatch else { throw HypercallFailure(errno: XEN_E2BIG) }
        var batch = xen_add_to_physmap_batch()
        batch.domid = DomainID(DOMID_SELF)
        batch.space = UInt16(XENMAPSPACE_gmfn_foreign)
        batch.size = UInt16(foreignFrames.count)
        batch.foreign_domid = foreign
        batch.idxs = Hypercall.argument(foreignFrames.baseAddress!)
        batch.gpfns = Hypercall.argument(localFrames.baseAddress!)
        batch.errs = Hypercall.argument(errors.baseAddress!)
        _ = try call(XENMEM_add_to_physmap_batch, &batch)
    }

    /// A guest-physical frame with nothing behind it, to map a grant at:
    /// a page of the heap whose RAM is given back (decrease_reservation).
    /// Returns its address. The page is never used as memory again.
    static func emptyFrame() throws(HypercallFailure) -> UInt64 {
        let page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        var frame = Hypercall.argument(page) >> 12
        let done = try withUnsafePointer(to: &frame) { (pointer) throws(HypercallFailure) -> Int in
            try decreaseReservation(frames: UnsafeBufferPointer(start: pointer, count: 1))
        }
        guard done == 1 else { throw HypercallFailure(errno: XEN_ENOMEM) }
        return frame << 12
    }

    /// remove_from_physmap: takes away the mapping at this domain's frame
    /// `localFrame` (one that add_to_physmap made).
    static func removeFromPhysmap(_ localFrame: UInt64) throws(HypercallFailure) {
        var removal = xen_remove_from_physmap()
        removal.domid = DomainID(DOMID_SELF)
        removal.gpfn = localFrame
        _ = try call(XENMEM_remove_from_physmap, &removal)
    }

    private static func call<Argument>(_ command: Int32, _ argument: inout Argument) throws(HypercallFailure) -> UInt64 {
        let result = withUnsafeMutablePointer(to: &argument) { pointer in
            Hypercall.call(UInt64(__HYPERVISOR_memory_op), UInt64(command), Hypercall.argument(pointer))
        }
        if result < 0 { throw HypercallFailure(result: result) }
        return UInt64(result)
    }
}
