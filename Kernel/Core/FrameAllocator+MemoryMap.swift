extension FrameAllocator {
    /// Turns an untrusted firmware map into the frame-aligned RAM that is
    /// safe to hand out.
    ///
    /// Available entries are merged first, so RAM described as several
    /// touching pieces still yields whole frames across their seams. Then
    /// everything forbidden is cut out, rounded outward to whole frames: a
    /// non-available entry wins over an overlapping available one, whatever
    /// the order of the entries, because a byte the firmware uses makes its
    /// whole frame unusable.
    static func usableRanges(memoryMap: [MemoryRegion], reserved: [MemoryRange],
                             addressLimit: UInt64) -> [MemoryRange] {
        // LAB 1 BEGIN: turn the firmware's memory map into usable frame-aligned RAM
        // LAB 1 STUB: fatalError("lab 1: FrameAllocator.usableRanges is yours to write (Docs/labs/lab1-boot.md)")
        var available: [MemoryRange] = []
        var forbidden = reserved
        forbidden.append(MemoryRange(start: 0, end: lowMemoryLimit))
        forbidden.append(MemoryRange(start: addressLimit, end: UInt64.max))
        for region in memoryMap {
            if region.kind == .available {
                available.append(region.range)
            } else {
                forbidden.append(region.range)
            }
        }
        var usable = MemoryRange.normalized(available)
        for range in forbidden {
            usable = MemoryRange.subtract(range.pageAlignedOutward(pageSize: frameSize), from: usable)
        }
        return usable.map { $0.pageAlignedInward(pageSize: frameSize) }.filter { !$0.isEmpty }
        // LAB 1 END
    }
}
