/// The one place that knows whether a frame may be freed: the machine's
/// frame source, plus a reference count for every frame that is mapped
/// somewhere other than in its owner.
///
/// Ownership: a RAM frame belongs to the one `DomainMemory` whose guest
/// frames it backs; a hypervisor page (shared_info) to the object that made
/// it. References: each foreign mapping of a frame, in any domain, holds one
/// (`DomainMemory.mapForeign`). Every `DomainMemory`, nested page table and
/// hypervisor page gets its frames from the same instance (the
/// `Hypervisor`'s), so the rule "a frame another domain maps is never
/// freed" holds by construction, for every path that frees:
/// - taking a referenced frame from a domain that lives on
///   (decrease_reservation, shared_info over RAM) is refused by
///   `DomainMemory.depopulate`, which asks `isReferenced` first;
/// - freeing it anyway (the owner is destroyed) only marks it: it goes back
///   to the frame source when its last reference is dropped, as Xen keeps a
///   page until its last reference goes.
///
/// Only referenced frames have an entry, kept sorted by frame for a binary
/// search; their number is bounded by the foreign mappings domains may hold
/// (`DomainMemory.maximumForeignMappings` each), so the heap it takes is
/// bounded too.
final class FrameReferences: FrameSource {
    private let source: FrameSource
    private var entries: [Entry] = []

    private struct Entry {
        var frame: UInt64
        var count: Int
        /// Its owner let it go while it was referenced.
        var freeWhenUnreferenced: Bool
    }

    init(_ source: FrameSource) {
        self.source = source
    }

    var physicalMemory: PhysicalMemory { source.physicalMemory }
    /// Frames waiting for their last reference to go are not free.
    var freeFrames: Int { source.freeFrames }
    var totalFrames: Int { source.totalFrames }

    func allocateZeroedFrame() -> UInt64? { source.allocateZeroedFrame() }
    func allocateDomain0BootFrames(upTo count: Int) -> (first: UInt64, count: Int)? {
        source.allocateDomain0BootFrames(upTo: count)
    }

    /// Gives `frame` back to the frame source, or, while it is referenced,
    /// as soon as it no longer is.
    func freeFrame(_ frame: UInt64) {
        let place = position(of: frame)
        guard place.found else {
            source.freeFrame(frame)
            return
        }
        if entries[place.index].freeWhenUnreferenced {
            Log.error("frame references: \(hex(frame)) freed twice while referenced")
        }
        entries[place.index].freeWhenUnreferenced = true
    }

    /// A mapping of `frame` outside its owner now exists.
    func takeReference(to frame: UInt64) {
        let place = position(of: frame)
        if place.found {
            entries[place.index].count += 1
        } else {
            entries.insert(Entry(frame: frame, count: 1, freeWhenUnreferenced: false), at: place.index)
        }
    }

    /// That mapping went. The last one frees the frame if its owner already
    /// let it go.
    func dropReference(to frame: UInt64) {
        let place = position(of: frame)
        guard place.found else {
            Log.error("frame references: \(hex(frame)) dropped but not referenced")
            return
        }
        entries[place.index].count -= 1
        guard entries[place.index].count == 0 else { return }
        let entry = entries.remove(at: place.index)
        if entry.freeWhenUnreferenced { source.freeFrame(frame) }
    }

    func isReferenced(_ frame: UInt64) -> Bool { position(of: frame).found }

    func referenceCount(_ frame: UInt64) -> Int {
        let place = position(of: frame)
        return place.found ? entries[place.index].count : 0
    }

    /// Frames whose owner let them go and that wait for their last reference.
    var framesAwaitingRelease: Int {
        var count = 0
        for entry in entries where entry.freeWhenUnreferenced { count += 1 }
        return count
    }

    private func position(of frame: UInt64) -> (found: Bool, index: Int) {
        let index = entries.lowerBound { $0.frame < frame }
        return (index < entries.count && entries[index].frame == frame, index)
    }
}
