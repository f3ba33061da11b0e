/// Hands out 4 KiB physical frames from the RAM the firmware reported.
///
/// One bit per frame, set while the frame is free, over the span from the
/// lowest to the highest usable frame. Frames in the gaps of that span
/// (holes in the memory map, reserved ranges) simply never have their bit
/// set, so allocation never needs to know about them.
///
/// Not thread-safe: callers serialize (one CPU during boot, a lock later).
public struct FrameAllocator {
    public static let frameSize: UInt64 = 4096

    /// Below 1 MiB live the real-mode IVT, the BIOS data area, the EBDA and
    /// option ROMs; firmware and some boot paths expect them intact.
    public static let lowMemoryLimit: UInt64 = 0x10_0000

    /// x86_64 physical addresses have at most 52 bits. A map claiming RAM
    /// above that is lying, and believing it would size the bitmap from
    /// attacker-chosen numbers.
    public static let defaultAddressLimit: UInt64 = 1 << 52

    /// The RAM this allocator manages, sorted, disjoint, frame-aligned.
    public let usableRanges: [MemoryRange]
    public let totalFrames: Int
    public private(set) var freeFrames: Int

    private var bitmap: FrameBitmap
    /// Same span, one bit per frame set once the frame has been handed out.
    /// A frame whose bit is clear holds what the RAM held when the machine
    /// started: nothing the hypervisor or any domain of this boot put there.
    private var handedOut: FrameBitmap
    /// Frame number of bit 0 of the bitmap.
    private let firstFrame: UInt64
    /// Every word before this index is known to be zero (no free frame), so
    /// repeated allocations do not rescan the exhausted start of memory.
    private var searchHint: Int = 0

    /// - Parameters:
    ///   - memoryMap: the firmware's map, taken as untrusted input.
    ///   - reserved: ranges the caller already uses (the hypervisor image,
    ///     boot modules, the multiboot information); they are never handed
    ///     out, nor any frame they touch.
    ///   - addressLimit: RAM at or above this address is ignored.
    public init(memoryMap: [MemoryRegion], reserved: [MemoryRange],
                addressLimit: UInt64 = FrameAllocator.defaultAddressLimit) {
        let usable = FrameAllocator.usableRanges(memoryMap: memoryMap, reserved: reserved,
                                                 addressLimit: addressLimit)
        usableRanges = usable
        firstFrame = (usable.first?.start ?? 0) / FrameAllocator.frameSize
        let lastFrame = (usable.last?.end ?? 0) / FrameAllocator.frameSize
        bitmap = FrameBitmap(bitCount: Int(lastFrame - firstFrame))
        handedOut = FrameBitmap(bitCount: Int(lastFrame - firstFrame))
        var count = 0
        for range in usable {
            let first = Int(range.start / FrameAllocator.frameSize - firstFrame)
            let frames = Int(range.length / FrameAllocator.frameSize)
            bitmap.setBits(from: first, count: frames)
            count += frames
        }
        totalFrames = count
        freeFrames = count
    }

    /// The physical address of one free frame, now owned by the caller, or
    /// nil when memory is exhausted. The frame's contents are whatever was
    /// there: clearing it is the caller's job, as not every caller needs it.
    public mutating func allocate() -> UInt64? {
        allocateNotingFirstUse()?.address
    }

    /// `allocate()`, also saying whether the frame is out for the first
    /// time since the machine started (see `handedOut`).
    public mutating func allocateNotingFirstUse() -> (address: UInt64, firstUse: Bool)? {
        guard let (bit, wordIndex) = bitmap.firstSetBit(fromWord: searchHint) else {
            searchHint = bitmap.wordCount
            return nil
        }
        searchHint = wordIndex
        bitmap.clearBit(bit)
        freeFrames -= 1
        let firstUse = !handedOut.isSet(bit)
        handedOut.setBit(bit)
        return (address(ofBit: bit), firstUse)
    }

    /// The lowest free frame and the free frames right after it, at most
    /// `maximum` in all (at least 1), with whether every one of them is out
    /// for the first time since the machine started (see `handedOut`).
    /// For filling a lot of RAM at once: at boot, free memory is long runs.
    public mutating func allocateRun(maximum: Int) -> (address: UInt64, count: Int, firstUse: Bool)? {
        guard maximum > 0, let (bit, wordIndex) = bitmap.firstSetBit(fromWord: searchHint) else {
            if maximum > 0 { searchHint = bitmap.wordCount }
            return nil
        }
        searchHint = wordIndex
        let count = bitmap.setRunLength(from: bit, maximum: maximum)
        let firstUse = !handedOut.anySet(from: bit, count: count)
        bitmap.clearBits(from: bit, count: count)
        handedOut.setBits(from: bit, count: count)
        freeFrames -= count
        return (address(ofBit: bit), count, firstUse)
    }

    /// `frames` physically contiguous frames whose first address is a
    /// multiple of `alignment` (a power of two; anything below the frame size
    /// means frame alignment), or nil if no such run is free.
    public mutating func allocateContiguous(frames: Int, alignment: UInt64 = FrameAllocator.frameSize) -> UInt64? {
        guard frames > 0, frames <= freeFrames, alignment != 0, alignment & (alignment - 1) == 0 else {
            return nil
        }
        let frameAlignment = max(alignment, FrameAllocator.frameSize) / FrameAllocator.frameSize
        guard let start = findRun(frames: frames, frameAlignment: frameAlignment) else { return nil }
        bitmap.clearBits(from: start, count: frames)
        handedOut.setBits(from: start, count: frames)
        freeFrames -= frames
        return address(ofBit: start)
    }

    /// Gives a frame back. Throws, without changing anything, for addresses
    /// that were never allocatable or that are already free.
    public mutating func free(_ address: UInt64) throws(FrameAllocatorError) {
        guard address % FrameAllocator.frameSize == 0 else { throw .notFrameAligned(address) }
        guard let bit = managedBit(of: address) else { throw .notManaged(address) }
        guard !bitmap.isSet(bit) else { throw .alreadyFree(address) }
        bitmap.setBit(bit)
        freeFrames += 1
        searchHint = min(searchHint, bit / FrameBitmap.bitsPerWord)
    }

    /// Whether `address` is the start of a managed frame that is currently
    /// free. False for anything unaligned or unmanaged.
    public func isFree(_ address: UInt64) -> Bool {
        guard address % FrameAllocator.frameSize == 0, let bit = managedBit(of: address) else { return false }
        return bitmap.isSet(bit)
    }

    /// Whether `address` lies in a frame this allocator manages.
    public func manages(_ address: UInt64) -> Bool {
        var low = 0
        var high = usableRanges.count
        while low < high {
            let middle = (low + high) / 2
            let range = usableRanges[middle]
            if address < range.start { high = middle } else if address >= range.end { low = middle + 1 } else { return true }
        }
        return false
    }

    private func managedBit(of address: UInt64) -> Int? {
        guard manages(address) else { return nil }
        return Int(address / FrameAllocator.frameSize - firstFrame)
    }

    private func address(ofBit bit: Int) -> UInt64 {
        (firstFrame + UInt64(bit)) * FrameAllocator.frameSize
    }

    /// First-fit search for an aligned run. On hitting a used frame the
    /// search jumps to the next aligned candidate past it, so every frame is
    /// inspected a bounded number of times.
    private func findRun(frames: Int, frameAlignment: UInt64) -> Int? {
        var candidate = alignedBit(atOrAfter: searchHint * FrameBitmap.bitsPerWord, frameAlignment: frameAlignment)
        while let start = candidate, start + frames <= bitmap.bitCount {
            if let blocker = bitmap.firstClearBit(from: start, count: frames) {
                candidate = alignedBit(atOrAfter: blocker + 1, frameAlignment: frameAlignment)
            } else {
                return start
            }
        }
        return nil
    }

    /// The first bit index at or after `bit` whose physical frame number is a
    /// multiple of `frameAlignment`.
    private func alignedBit(atOrAfter bit: Int, frameAlignment: UInt64) -> Int? {
        let frame = firstFrame + UInt64(bit)
        let (rounded, overflowed) = frame.addingReportingOverflow(frameAlignment - 1)
        guard !overflowed else { return nil }
        let alignedFrame = rounded & ~(frameAlignment - 1)
        let offset = alignedFrame - firstFrame
        guard offset <= UInt64(bitmap.bitCount) else { return nil }
        return Int(offset)
    }
}
