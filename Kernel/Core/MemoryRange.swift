/// A half-open span of physical addresses, `start ..< end`.
///
/// Half-open so that adjacent ranges share a boundary value instead of
/// overlapping by one byte, and so that an empty range is simply
/// `end <= start`. The price is that the very last byte of the 64-bit space
/// cannot be included; physical addresses on x86_64 stop at 52 bits, so
/// nothing real is lost.
public struct MemoryRange: Equatable {
    public var start: UInt64
    public var end: UInt64

    public init(start: UInt64, end: UInt64) {
        self.start = start
        self.end = end
    }

    /// Firmware tables describe regions as base + length; a hostile or buggy
    /// table can make that sum wrap, so it saturates instead of trapping.
    public init(start: UInt64, length: UInt64) {
        let (sum, overflowed) = start.addingReportingOverflow(length)
        self.init(start: start, end: overflowed ? UInt64.max : sum)
    }

    public static let pageSize: UInt64 = 4096

    public var length: UInt64 { isEmpty ? 0 : end - start }

    /// An inverted range (end before start) counts as empty, so callers never
    /// have to special-case garbage input.
    public var isEmpty: Bool { end <= start }

    public func contains(_ address: UInt64) -> Bool {
        start <= address && address < end
    }

    /// An empty `other` is a position, contained when it lies within or on
    /// the edges of this range; an empty `self` contains nothing non-empty.
    public func contains(_ other: MemoryRange) -> Bool {
        if other.isEmpty { return contains(other.start) || other.start == end }
        return start <= other.start && other.end <= end
    }

    public func overlaps(_ other: MemoryRange) -> Bool {
        !isEmpty && !other.isEmpty && start < other.end && other.start < end
    }

    public func intersection(_ other: MemoryRange) -> MemoryRange? {
        guard overlaps(other) else { return nil }
        return MemoryRange(start: max(start, other.start), end: min(end, other.end))
    }

    /// The largest page-aligned range inside this one: what can be handed
    /// out as whole frames from a region that is only usable as described.
    /// `pageSize` must be a power of two.
    public func pageAlignedInward(pageSize: UInt64 = MemoryRange.pageSize) -> MemoryRange {
        let mask = pageSize - 1
        let (roundedStart, overflowed) = start.addingReportingOverflow(mask)
        guard !overflowed else { return MemoryRange(start: end, end: end) }
        let alignedStart = roundedStart & ~mask
        let alignedEnd = end & ~mask
        if alignedEnd <= alignedStart { return MemoryRange(start: alignedStart, end: alignedStart) }
        return MemoryRange(start: alignedStart, end: alignedEnd)
    }

    /// The smallest page-aligned range covering this one: what must be kept
    /// away from the allocator when any byte of a page is off limits.
    /// Near the top of the address space the end saturates to the last
    /// aligned address (see the type comment).
    public func pageAlignedOutward(pageSize: UInt64 = MemoryRange.pageSize) -> MemoryRange {
        let mask = pageSize - 1
        let alignedStart = start & ~mask
        if isEmpty { return MemoryRange(start: alignedStart, end: alignedStart) }
        let (roundedEnd, overflowed) = end.addingReportingOverflow(mask)
        let alignedEnd = overflowed ? UInt64.max & ~mask : roundedEnd & ~mask
        return MemoryRange(start: alignedStart, end: alignedEnd)
    }

    /// The parts of this range not covered by `other`: zero, one or two
    /// pieces, never empty ones.
    public func subtracting(_ other: MemoryRange) -> [MemoryRange] {
        if isEmpty { return [] }
        guard overlaps(other) else { return [self] }
        var pieces: [MemoryRange] = []
        if start < other.start { pieces.append(MemoryRange(start: start, end: other.start)) }
        if other.end < end { pieces.append(MemoryRange(start: other.end, end: end)) }
        return pieces
    }

    /// Removes `removed` from every range of `ranges`, dropping what becomes
    /// empty. Order is kept; ranges are not merged.
    public static func subtract(_ removed: MemoryRange, from ranges: [MemoryRange]) -> [MemoryRange] {
        var remaining: [MemoryRange] = []
        for range in ranges {
            remaining.append(contentsOf: range.subtracting(removed))
        }
        return remaining
    }

    /// Sorts by start and fuses overlapping or touching ranges, dropping empty
    /// ones, so a list built from an untrusted map has one canonical form.
    public static func normalized(_ ranges: [MemoryRange]) -> [MemoryRange] {
        var sorted = ranges.filter { !$0.isEmpty }
        sorted.sort { $0.start < $1.start }
        var merged: [MemoryRange] = []
        for range in sorted {
            if let last = merged.last, range.start <= last.end {
                merged[merged.count - 1].end = max(last.end, range.end)
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}

extension MemoryRange: CustomStringConvertible {
    /// `0x00100000-0x07fe0000` style, as the boot banner prints memory maps.
    public var description: String {
        "\(hex(start, digits: 8))-\(hex(end, digits: 8))"
    }
}
