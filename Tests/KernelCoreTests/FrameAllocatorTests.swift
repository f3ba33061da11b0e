import XCTest
@testable import KernelCore

final class FrameAllocatorTests: XCTestCase {
    private let mebibyte: UInt64 = 1 << 20
    private let frame = FrameAllocator.frameSize

    private func available(_ start: UInt64, _ end: UInt64) -> MemoryRegion {
        MemoryRegion(range: MemoryRange(start: start, end: end), kind: .available)
    }

    private func region(_ start: UInt64, _ end: UInt64, _ kind: MemoryRegionKind) -> MemoryRegion {
        MemoryRegion(range: MemoryRange(start: start, end: end), kind: kind)
    }

    /// What QEMU reports for a 128 MiB machine, roughly.
    private var typicalMap: [MemoryRegion] {
        [available(0, 0x9FC00), region(0x9FC00, 0xA0000, .reserved), region(0xF0000, 0x100000, .reserved),
         available(0x100000, 0x7FE0000), region(0x7FE0000, 0x8000000, .reserved),
         region(0xFFFC0000, 0x1_0000_0000, .reserved)]
    }

    private func drain(_ allocator: inout FrameAllocator) -> [UInt64] {
        var frames: [UInt64] = []
        while let address = allocator.allocate() { frames.append(address) }
        return frames
    }

    func testTypicalMapWithHypervisorImageReserved() {
        let image = MemoryRange(start: mebibyte, end: mebibyte + 0x4_B123)
        let allocator = FrameAllocator(memoryMap: typicalMap, reserved: [image])
        XCTAssertEqual(allocator.usableRanges, [MemoryRange(start: mebibyte + 0x4_C000, end: 0x7FE0000)])
        XCTAssertEqual(allocator.totalFrames, Int((0x7FE0000 - mebibyte - 0x4_C000) / frame))
        XCTAssertEqual(allocator.freeFrames, allocator.totalFrames)
    }

    func testNothingBelowOneMebibyteAndNeverFrameZero() {
        var allocator = FrameAllocator(memoryMap: [available(0, 4 * mebibyte)], reserved: [])
        XCTAssertEqual(allocator.usableRanges, [MemoryRange(start: mebibyte, end: 4 * mebibyte)])
        XCTAssertFalse(allocator.isFree(0))
        XCTAssertFalse(allocator.manages(0x9F000))
        XCTAssertTrue(drain(&allocator).allSatisfy { $0 >= mebibyte })
    }

    func testReservedEntryWinsOverAvailableInAnyOrder() {
        let hole = region(3 * mebibyte + 0x800, 4 * mebibyte + 0x10, .acpiNonVolatile)
        let expected = [MemoryRange(start: mebibyte, end: 3 * mebibyte), MemoryRange(start: 4 * mebibyte + frame, end: 8 * mebibyte)]
        for map in [[available(mebibyte, 8 * mebibyte), hole], [hole, available(mebibyte, 8 * mebibyte)]] {
            XCTAssertEqual(FrameAllocator(memoryMap: map, reserved: []).usableRanges, expected)
        }
    }

    func testEveryNonAvailableKindIsExcluded() {
        for kind: MemoryRegionKind in [.reserved, .acpiReclaimable, .acpiNonVolatile, .defective] {
            let map = [available(mebibyte, 4 * mebibyte), region(2 * mebibyte, 3 * mebibyte, kind)]
            let allocator = FrameAllocator(memoryMap: map, reserved: [])
            XCTAssertFalse(allocator.manages(2 * mebibyte), "\(kind.name)")
            XCTAssertEqual(allocator.totalFrames, Int(2 * mebibyte / frame), "\(kind.name)")
        }
    }

    func testOverlappingAvailableEntriesAreNotCountedTwice() {
        let map = [available(mebibyte, 3 * mebibyte), available(2 * mebibyte, 4 * mebibyte), available(mebibyte, 2 * mebibyte)]
        let allocator = FrameAllocator(memoryMap: map, reserved: [])
        XCTAssertEqual(allocator.usableRanges, [MemoryRange(start: mebibyte, end: 4 * mebibyte)])
        XCTAssertEqual(allocator.totalFrames, Int(3 * mebibyte / frame))
    }

    func testTouchingUnalignedPiecesStillFormWholeFrames() {
        let map = [available(mebibyte + 0x800, mebibyte + 0x2800), available(mebibyte, mebibyte + 0x800)]
        XCTAssertEqual(FrameAllocator(memoryMap: map, reserved: []).usableRanges,
                       [MemoryRange(start: mebibyte, end: mebibyte + 0x2000)])
    }

    func testUnalignedReservedRangesCostTheirWholeFrames() {
        let reserved = [MemoryRange(start: 2 * mebibyte + 1, end: 2 * mebibyte + 2)]
        let allocator = FrameAllocator(memoryMap: [available(mebibyte, 4 * mebibyte)], reserved: reserved)
        XCTAssertFalse(allocator.manages(2 * mebibyte))
        XCTAssertTrue(allocator.manages(2 * mebibyte - frame))
        XCTAssertTrue(allocator.manages(2 * mebibyte + frame))
    }

    func testZeroLengthAndInvertedEntriesAreIgnored() {
        let map = [available(mebibyte, 2 * mebibyte), region(mebibyte + frame, mebibyte + frame, .reserved),
                   region(mebibyte + 0x5000, mebibyte + 0x2000, .reserved), available(8 * mebibyte, 8 * mebibyte)]
        let reserved = [MemoryRange(start: mebibyte + 0x3000, end: mebibyte + 0x3000)]
        let allocator = FrameAllocator(memoryMap: map, reserved: reserved)
        XCTAssertEqual(allocator.usableRanges, [MemoryRange(start: mebibyte, end: 2 * mebibyte)])
    }

    func testHostileEntriesAreClippedToTheAddressLimit() {
        let wrapping = MemoryRegion(multibootBase: UInt64.max - 0xFFFF, length: 0x20000, type: 1)
        let everything = available(mebibyte, UInt64.max)
        let allocator = FrameAllocator(memoryMap: [wrapping, everything], reserved: [], addressLimit: 64 * mebibyte)
        XCTAssertEqual(allocator.usableRanges, [MemoryRange(start: mebibyte, end: 64 * mebibyte)])
        XCTAssertEqual(allocator.totalFrames, Int(63 * mebibyte / frame))
    }

    func testEmptyMapHasNothingToGive() {
        var allocator = FrameAllocator(memoryMap: [], reserved: [])
        XCTAssertEqual(allocator.totalFrames, 0)
        XCTAssertNil(allocator.allocate())
        XCTAssertNil(allocator.allocateContiguous(frames: 1, alignment: frame))
        XCTAssertThrowsError(try allocator.free(mebibyte)) { XCTAssertEqual($0 as? FrameAllocatorError, .notManaged(mebibyte)) }
    }

    func testAllocatesEveryUsableFrameOnceThenNil() {
        let image = MemoryRange(start: 2 * mebibyte, end: 2 * mebibyte + 0x3000)
        var allocator = FrameAllocator(memoryMap: typicalMap, reserved: [image])
        let frames = drain(&allocator)
        XCTAssertEqual(frames.count, allocator.totalFrames)
        XCTAssertEqual(Set(frames).count, frames.count, "no frame handed out twice")
        XCTAssertEqual(allocator.freeFrames, 0)
        XCTAssertNil(allocator.allocate())
        for address in frames {
            XCTAssertEqual(address % frame, 0)
            XCTAssertFalse(image.overlaps(MemoryRange(start: address, length: frame)))
            XCTAssertTrue(allocator.usableRanges.contains { $0.contains(address) })
        }
        for address in frames { XCTAssertNoThrow(try allocator.free(address)) }
        XCTAssertEqual(allocator.freeFrames, allocator.totalFrames)
        XCTAssertEqual(drain(&allocator).count, allocator.totalFrames, "freed frames are found again")
    }

    func testFreedLowFrameIsReusedAfterTheHintMovedOn() {
        var allocator = FrameAllocator(memoryMap: [available(mebibyte, 2 * mebibyte)], reserved: [])
        let first = allocator.allocate()!
        for _ in 0..<200 { _ = allocator.allocate() }
        try! allocator.free(first)
        XCTAssertEqual(allocator.allocate(), first)
    }

    func testFreeRejectsUnalignedAddresses() {
        var allocator = FrameAllocator(memoryMap: [available(mebibyte, 2 * mebibyte)], reserved: [])
        let address = allocator.allocate()!
        XCTAssertThrowsError(try allocator.free(address + 8)) {
            XCTAssertEqual($0 as? FrameAllocatorError, .notFrameAligned(address + 8))
        }
        XCTAssertFalse(allocator.isFree(address))
    }

    func testFreeRejectsFramesItDoesNotManage() {
        let image = MemoryRange(start: 2 * mebibyte, end: 3 * mebibyte)
        let map = [available(0, 4 * mebibyte), region(5 * mebibyte, 6 * mebibyte, .reserved), available(6 * mebibyte, 8 * mebibyte)]
        var allocator = FrameAllocator(memoryMap: map, reserved: [image])
        let before = allocator.freeFrames
        for address in [0, 0x9F000, 2 * mebibyte, 4 * mebibyte, 5 * mebibyte, 8 * mebibyte, 1 << 40] {
            XCTAssertThrowsError(try allocator.free(address), "\(address)") {
                XCTAssertEqual($0 as? FrameAllocatorError, .notManaged(address))
            }
        }
        XCTAssertEqual(allocator.freeFrames, before)
    }

    func testDoubleFreeIsDetectedAndChangesNothing() {
        var allocator = FrameAllocator(memoryMap: [available(mebibyte, 2 * mebibyte)], reserved: [])
        let address = allocator.allocate()!
        try! allocator.free(address)
        let before = allocator.freeFrames
        XCTAssertThrowsError(try allocator.free(address)) {
            XCTAssertEqual($0 as? FrameAllocatorError, .alreadyFree(address))
        }
        XCTAssertThrowsError(try allocator.free(mebibyte + 0x80000)) {
            XCTAssertEqual($0 as? FrameAllocatorError, .alreadyFree(mebibyte + 0x80000), "never allocated")
        }
        XCTAssertEqual(allocator.freeFrames, before)
    }

    func testContiguousAllocationIsAlignedAndFree() {
        var allocator = FrameAllocator(memoryMap: [available(0, 64 * mebibyte)], reserved: [])
        _ = allocator.allocate()
        let twoMebibytes = 2 * mebibyte
        guard let start = allocator.allocateContiguous(frames: 512, alignment: twoMebibytes) else {
            return XCTFail("a 2 MiB aligned run exists")
        }
        XCTAssertEqual(start % twoMebibytes, 0)
        XCTAssertEqual(start, 2 * mebibyte, "first fit: 1 MiB is taken by the first frame")
        for index in 0..<UInt64(512) { XCTAssertFalse(allocator.isFree(start + index * frame)) }
        XCTAssertEqual(allocator.freeFrames, allocator.totalFrames - 513)
    }

    func testContiguousRunsNeverSpanHoles() {
        let map = [available(mebibyte, mebibyte + 3 * frame), available(mebibyte + 4 * frame, mebibyte + 9 * frame)]
        var allocator = FrameAllocator(memoryMap: map, reserved: [])
        XCTAssertEqual(allocator.allocateContiguous(frames: 4, alignment: frame), mebibyte + 4 * frame)
        XCTAssertNil(allocator.allocateContiguous(frames: 4, alignment: frame))
        XCTAssertEqual(allocator.allocateContiguous(frames: 3, alignment: frame), mebibyte)
    }

    func testContiguousRejectsNonsense() {
        var allocator = FrameAllocator(memoryMap: [available(mebibyte, 2 * mebibyte)], reserved: [])
        XCTAssertNil(allocator.allocateContiguous(frames: 0, alignment: frame))
        XCTAssertNil(allocator.allocateContiguous(frames: -3, alignment: frame))
        XCTAssertNil(allocator.allocateContiguous(frames: 2, alignment: 3 * frame))
        XCTAssertNil(allocator.allocateContiguous(frames: 2, alignment: 0))
        XCTAssertNil(allocator.allocateContiguous(frames: 257, alignment: frame), "more than exist")
        XCTAssertNil(allocator.allocateContiguous(frames: 1, alignment: 1 << 63), "no address that aligned")
        XCTAssertNil(allocator.allocateContiguous(frames: Int.max, alignment: frame))
        XCTAssertEqual(allocator.freeFrames, allocator.totalFrames)
        XCTAssertEqual(allocator.allocateContiguous(frames: 1, alignment: 16), mebibyte, "small alignment means frame")
    }

    /// Allocating every frame of 4 GiB one by one finishes quickly only if
    /// allocation does not rescan from the bottom each time.
    func testAllocatingFourGibibytesFrameByFrame() {
        var allocator = FrameAllocator(memoryMap: [available(0, 4 << 30)], reserved: [])
        var count = 0
        var previous: UInt64 = 0
        while let address = allocator.allocate() {
            XCTAssertGreaterThan(address, previous)
            previous = address
            count += 1
        }
        XCTAssertEqual(count, allocator.totalFrames)
        XCTAssertEqual(count, Int(((4 << 30) - mebibyte) / frame))
    }

    /// Random allocate / allocate-run / free against a set of owned frames.
    func testRandomOperationsAgainstModel() {
        var generator = SeededGenerator(seed: 0x5EED)
        let map = [available(0, 0x9F000), available(mebibyte, 3 * mebibyte), region(3 * mebibyte, 3 * mebibyte + 0x8000, .reserved),
                   available(3 * mebibyte, 6 * mebibyte + 0x123)]
        let reserved = [MemoryRange(start: 4 * mebibyte + 0x10, end: 4 * mebibyte + 0x5000)]
        var allocator = FrameAllocator(memoryMap: map, reserved: reserved)
        var owned = Set<UInt64>()
        for step in 0..<20_000 {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<5:
                if let address = allocator.allocate() {
                    XCTAssertTrue(owned.insert(address).inserted, "step \(step): \(address) handed out twice")
                } else {
                    XCTAssertEqual(owned.count, allocator.totalFrames)
                }
            case 5:
                let frames = Int.random(in: 1...40, using: &generator)
                let alignment = frame << UInt64.random(in: 0...6, using: &generator)
                if let start = allocator.allocateContiguous(frames: frames, alignment: alignment) {
                    XCTAssertEqual(start % alignment, 0)
                    for index in 0..<UInt64(frames) {
                        XCTAssertTrue(owned.insert(start + index * frame).inserted, "step \(step)")
                    }
                }
            default:
                guard let address = owned.randomElement(using: &generator) else { continue }
                owned.remove(address)
                XCTAssertNoThrow(try allocator.free(address))
                XCTAssertThrowsError(try allocator.free(address))
            }
            XCTAssertEqual(allocator.freeFrames, allocator.totalFrames - owned.count, "step \(step)")
        }
        for address in owned {
            XCTAssertFalse(allocator.isFree(address))
            XCTAssertTrue(allocator.manages(address))
            XCTAssertFalse(reserved[0].overlaps(MemoryRange(start: address, length: frame)))
            XCTAssertFalse(address < mebibyte)
        }
    }
}
