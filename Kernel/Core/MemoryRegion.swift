/// One entry of the firmware memory map: a physical range and its kind.
///
/// Entries come straight from the boot loader and are untrusted: they may
/// overlap, be unsorted, have zero length or wrap around the address space.
/// `FrameAllocator` is the place that makes sense of them.
public struct MemoryRegion: Equatable {
    public var range: MemoryRange
    public var kind: MemoryRegionKind

    public init(range: MemoryRange, kind: MemoryRegionKind) {
        self.range = range
        self.kind = kind
    }

    /// Builds an entry from the fields of a multiboot1 `mmap` record.
    public init(multibootBase base: UInt64, length: UInt64, type: UInt32) {
        self.init(range: MemoryRange(start: base, length: length), kind: MemoryRegionKind(multibootType: type))
    }
}
