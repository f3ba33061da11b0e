/// Block arithmetic: sizing requests, placing them inside free blocks,
/// splitting and merging.
extension HeapAllocator {
    /// Header plus payload, payload at least 16 bytes so the block can hold
    /// the free-list links once freed, rounded to keep headers aligned.
    func blockSize(forRequest size: Int) -> UInt? {
        guard size >= 0, size <= capacity else { return nil }
        let payload = max(UInt(size), 16)
        guard let roundedPayload = HeapAllocator.alignUp(payload, to: UInt(HeapAllocator.minimumAlignment)) else {
            return nil
        }
        return roundedPayload + HeapBlock.headerSize
    }

    /// Where a block of `blockSize` with an `alignment`-aligned payload can
    /// start inside `block`, or nil if it does not fit. A nonzero gap before
    /// it must be big enough to stay behind as a free block of its own.
    func placement(in block: HeapBlock, blockSize: UInt, alignment: UInt) -> UInt? {
        guard var header = alignedHeader(atOrAfter: block.address, alignment: alignment) else { return nil }
        let gap = header - block.address
        if gap != 0 && gap < HeapAllocator.minimumBlockSize {
            guard let later = alignedHeader(atOrAfter: block.address + HeapAllocator.minimumBlockSize,
                                            alignment: alignment) else { return nil }
            header = later
        }
        let blockEnd = block.end
        guard header < blockEnd, blockEnd - header >= blockSize else { return nil }
        return header
    }

    /// The first header address at or after `address` whose payload is aligned.
    private func alignedHeader(atOrAfter address: UInt, alignment: UInt) -> UInt? {
        let (payloadStart, overflowed) = address.addingReportingOverflow(HeapBlock.headerSize)
        guard !overflowed, let payload = HeapAllocator.alignUp(payloadStart, to: alignment) else { return nil }
        return payload - HeapBlock.headerSize
    }

    /// Takes `blockSize` bytes at `header` out of the free `block`. A leading
    /// gap stays on the free list as the shrunken `block`; a large enough
    /// tail becomes a new free block.
    mutating func carve(_ blockSize: UInt, at header: UInt, from block: HeapBlock) -> HeapBlock {
        let taken: HeapBlock
        if header == block.address {
            removeFromFreeList(block)
            taken = block
        } else {
            taken = HeapBlock(address: header)
            taken.size = block.end - header
            taken.previousSize = header - block.address
            block.size = header - block.address
            linkToNextNeighbour(taken)
        }
        splitTail(of: taken, keeping: blockSize)
        taken.markAllocated()
        bytesFree -= Int(taken.size)
        bytesInUse += Int(taken.size)
        allocationCount += 1
        return taken
    }

    /// Gives the part of `block` beyond `keeping` bytes back to the free
    /// list, unless it is too small to be a block; then the caller keeps the
    /// slack.
    private mutating func splitTail(of block: HeapBlock, keeping: UInt) {
        let remainder = block.size - keeping
        guard remainder >= HeapAllocator.minimumBlockSize else { return }
        let tail = HeapBlock(address: block.address + keeping)
        tail.size = remainder
        tail.previousSize = keeping
        tail.markFree()
        block.size = keeping
        linkToNextNeighbour(tail)
        insertIntoFreeList(tail)
    }

    /// Frees a validated block and merges it with free neighbours. An
    /// absorbed neighbour's header keeps its free tag, so a later stray
    /// free of that pointer is still reported as a double free.
    mutating func release(_ block: HeapBlock) {
        bytesInUse -= Int(block.size)
        bytesFree += Int(block.size)
        allocationCount -= 1
        block.markFree()
        if let next = nextNeighbour(of: block), next.isFree {
            removeFromFreeList(next)
            block.size += next.size
        }
        var merged = block
        if let previous = previousNeighbour(of: block), previous.isFree {
            previous.size += block.size
            merged = previous
        } else {
            insertIntoFreeList(block)
        }
        linkToNextNeighbour(merged)
    }

    /// Checks that an allocated-looking header really is a block in the
    /// tiling: a forged or stale header would fail to agree with its
    /// neighbours. Read-only, so a bad pointer cannot corrupt the heap.
    func isWellFormed(_ block: HeapBlock) -> Bool {
        let size = block.size
        let alignment = UInt(HeapAllocator.minimumAlignment)
        guard size % alignment == 0, size >= HeapAllocator.minimumBlockSize,
              size <= regionEnd - block.address else { return false }
        if let next = nextNeighbour(of: block), next.previousSize != size { return false }
        let previousSize = block.previousSize
        if block.address == regionStart { return previousSize == 0 }
        guard previousSize % alignment == 0, previousSize >= HeapAllocator.minimumBlockSize,
              previousSize <= block.address - regionStart else { return false }
        return HeapBlock(address: block.address - previousSize).size == previousSize
    }

    func nextNeighbour(of block: HeapBlock) -> HeapBlock? {
        let end = block.end
        return end < regionEnd ? HeapBlock(address: end) : nil
    }

    func previousNeighbour(of block: HeapBlock) -> HeapBlock? {
        block.address == regionStart ? nil : HeapBlock(address: block.address - block.previousSize)
    }

    /// Tells the block after `block` how far back `block` starts.
    func linkToNextNeighbour(_ block: HeapBlock) {
        nextNeighbour(of: block)?.previousSize = block.size
    }

    static func alignUp(_ value: UInt, to alignment: UInt) -> UInt? {
        let (sum, overflowed) = value.addingReportingOverflow(alignment - 1)
        return overflowed ? nil : sum & ~(alignment - 1)
    }
}
