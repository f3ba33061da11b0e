/// A full audit of the heap's invariants, for tests and for a debug command;
/// too slow for every call. Like the rest of the heap it must not allocate.
extension HeapAllocator {
    /// True when the blocks tile the region exactly, every header is tagged
    /// and agrees with its neighbours, no two free blocks touch, the free
    /// list holds exactly the free blocks, and the counters match.
    public func isConsistent() -> Bool {
        guard let tiling = auditTiling() else { return false }
        return tiling.inUse == bytesInUse && tiling.free == bytesFree
            && tiling.allocations == allocationCount && tiling.freeBlocks == freeBlockCount
            && bytesInUse + bytesFree == capacity
            && auditFreeList(expectedBlocks: tiling.freeBlocks)
    }

    private struct Tally {
        var inUse = 0
        var free = 0
        var allocations = 0
        var freeBlocks = 0
    }

    private func auditTiling() -> Tally? {
        var tally = Tally()
        var address = regionStart
        var previousSize: UInt = 0
        var previousWasFree = false
        while address < regionEnd {
            let block = HeapBlock(address: address)
            let size = block.size
            guard block.previousSize == previousSize, size >= HeapAllocator.minimumBlockSize,
                  size % UInt(HeapAllocator.minimumAlignment) == 0, size <= regionEnd - address else { return nil }
            if block.isFree {
                guard !previousWasFree else { return nil }
                tally.free += Int(size)
                tally.freeBlocks += 1
            } else if block.isAllocated {
                tally.inUse += Int(size)
                tally.allocations += 1
            } else {
                return nil
            }
            previousWasFree = block.isFree
            previousSize = size
            address += size
        }
        return address == regionEnd ? tally : nil
    }

    /// Bounded by the expected count, so a cycle in the links ends the walk.
    private func auditFreeList(expectedBlocks: Int) -> Bool {
        var count = 0
        var previous: UInt = 0
        var candidate = freeListHead
        while candidate != 0 {
            guard count < expectedBlocks, candidate >= regionStart, candidate < regionEnd else { return false }
            let block = HeapBlock(address: candidate)
            guard block.isFree, block.previousFree == previous else { return false }
            count += 1
            previous = candidate
            candidate = block.nextFree
        }
        return count == expectedBlocks
    }
}
