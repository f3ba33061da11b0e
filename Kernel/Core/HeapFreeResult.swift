/// What `HeapAllocator.free` did with a pointer. Every result other than
/// `freed` means the heap was left exactly as it was.
public enum HeapFreeResult: Equatable {
    case freed
    /// The pointer is not inside the heap's region at all.
    case outsideHeap
    /// Inside the region, but not the start of a live allocation: an interior
    /// pointer, a forged one, or a header the caller overwrote.
    case notAnAllocation
    /// The block was already freed: a double free.
    case alreadyFree
}
