/// The hypervisor's general-purpose heap, behind `posix_memalign` and
/// `free`, over one region of memory given at boot.
///
/// Design: the region is tiled by blocks, each with a header (`HeapBlock`).
/// Free blocks are on one doubly-linked list, unordered, newest first;
/// allocation is first fit over that list. Freeing merges a block with free
/// neighbours at once (boundary tags make that O(1)), so two free blocks are
/// never adjacent and, once everything is freed, the region is one block
/// again. First fit over a single list is the simplest policy that is
/// correct; the heap is small and most allocations happen at boot, so its
/// O(free blocks) search is a fair price.
///
/// This code must never allocate: it *is* the allocator that `Array`,
/// `String` and class instances call. Hence no collections, no classes, no
/// capturing closures, only integers and raw pointers.
///
/// `~Copyable`: a copy would be a second owner of the same memory, with its
/// own idea of which blocks are free.
///
/// Not thread-safe: callers serialize.
public struct HeapAllocator: ~Copyable {
    /// Payload alignment when the caller asks for less (malloc's guarantee on
    /// x86_64, enough for any scalar or SSE type).
    public static let minimumAlignment = 16
    /// Bytes of bookkeeping in front of every allocation.
    public static let headerSize = Int(HeapBlock.headerSize)
    /// A free block must hold its header and both free-list links.
    static let minimumBlockSize: UInt = HeapBlock.headerSize + 16

    let regionStart: UInt
    let regionEnd: UInt
    /// First block on the free list, 0 when there is none.
    var freeListHead: UInt = 0

    /// Bytes in allocated blocks, headers included.
    public internal(set) var bytesInUse = 0
    /// Bytes in free blocks, headers included. Always
    /// `bytesInUse + bytesFree == capacity`.
    public internal(set) var bytesFree = 0
    /// Live allocations.
    public internal(set) var allocationCount = 0
    public internal(set) var freeBlockCount = 0

    /// Bytes managed: the region trimmed to 16-byte boundaries.
    public var capacity: Int { Int(regionEnd - regionStart) }

    /// A heap with no memory, where every allocation fails: a placeholder for
    /// a global that gets its region once boot has found one.
    public init() {
        regionStart = 0
        regionEnd = 0
    }

    /// The whole region becomes one free block. A region too small to hold a
    /// single block gives a heap where every allocation fails.
    public init(region: UnsafeMutableRawPointer, size: Int) {
        let rawStart = UInt(bitPattern: region)
        let alignment = UInt(HeapAllocator.minimumAlignment)
        let (rawEnd, overflowed) = rawStart.addingReportingOverflow(UInt(max(size, 0)))
        let start = HeapAllocator.alignUp(rawStart, to: alignment) ?? rawEnd
        let end = overflowed ? start : rawEnd & ~(alignment - 1)
        guard end > start, end - start >= HeapAllocator.minimumBlockSize else {
            regionStart = start
            regionEnd = start
            return
        }
        regionStart = start
        regionEnd = end
        let block = HeapBlock(address: start)
        block.size = end - start
        block.previousSize = 0
        block.markFree()
        insertIntoFreeList(block)
        bytesFree = capacity
    }

    /// `size` bytes aligned to `alignment` (a power of two; smaller than 16
    /// means 16), or nil when no free block can hold them. Never traps:
    /// negative, absurd or overflowing requests just fail.
    public mutating func allocate(size: Int, alignment: Int = HeapAllocator.minimumAlignment) -> UnsafeMutableRawPointer? {
        guard alignment > 0, alignment & (alignment - 1) == 0, alignment <= capacity,
              let blockSize = blockSize(forRequest: size) else { return nil }
        let effectiveAlignment = UInt(max(alignment, HeapAllocator.minimumAlignment))
        var candidate = freeListHead
        while candidate != 0 {
            let block = HeapBlock(address: candidate)
            if let header = placement(in: block, blockSize: blockSize, alignment: effectiveAlignment) {
                return carve(blockSize, at: header, from: block).payload
            }
            candidate = block.nextFree
        }
        return nil
    }

    /// Returns an allocation to the heap, merging it with free neighbours.
    /// Pointers this heap did not hand out, and second frees, are detected
    /// and refused without touching anything.
    public mutating func free(_ pointer: UnsafeMutableRawPointer) -> HeapFreeResult {
        let payload = UInt(bitPattern: pointer)
        guard payload >= regionStart + HeapBlock.headerSize, payload < regionEnd else { return .outsideHeap }
        guard payload % UInt(HeapAllocator.minimumAlignment) == 0 else { return .notAnAllocation }
        let block = HeapBlock(payload: pointer)
        if block.isFree { return .alreadyFree }
        guard block.isAllocated, isWellFormed(block) else { return .notAnAllocation }
        release(block)
        return .freed
    }

    /// Whether `pointer` lies inside this heap's region, allocated or not.
    public func owns(_ pointer: UnsafeRawPointer) -> Bool {
        let address = UInt(bitPattern: pointer)
        return address >= regionStart && address < regionEnd
    }

    /// The largest `size` that one allocation with default alignment could
    /// get right now; 0 when nothing is free.
    public var largestFreeBlock: Int {
        var largest: UInt = 0
        var candidate = freeListHead
        while candidate != 0 {
            let block = HeapBlock(address: candidate)
            largest = max(largest, block.size)
            candidate = block.nextFree
        }
        return largest == 0 ? 0 : Int(largest - HeapBlock.headerSize)
    }
}
