/// The free list: doubly linked through the payloads of free blocks, so
/// removing a block found through its neighbour (when coalescing) is O(1).
extension HeapAllocator {
    mutating func insertIntoFreeList(_ block: HeapBlock) {
        block.previousFree = 0
        block.nextFree = freeListHead
        if freeListHead != 0 {
            HeapBlock(address: freeListHead).previousFree = block.address
        }
        freeListHead = block.address
        freeBlockCount += 1
    }

    mutating func removeFromFreeList(_ block: HeapBlock) {
        let next = block.nextFree
        let previous = block.previousFree
        if previous == 0 {
            freeListHead = next
        } else {
            HeapBlock(address: previous).nextFree = next
        }
        if next != 0 {
            HeapBlock(address: next).previousFree = previous
        }
        freeBlockCount -= 1
    }
}
