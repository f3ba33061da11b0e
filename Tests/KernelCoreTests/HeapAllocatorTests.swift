import XCTest
@testable import KernelCore

final class HeapAllocatorTests: XCTestCase {
    private var region: UnsafeMutableRawPointer!
    private let regionSize = 256 * 1024

    override func setUp() {
        region = UnsafeMutableRawPointer.allocate(byteCount: regionSize, alignment: 4096)
        region.initializeMemory(as: UInt8.self, repeating: 0xCC, count: regionSize)
    }

    override func tearDown() {
        region.deallocate()
    }

    private func makeHeap() -> HeapAllocator {
        HeapAllocator(region: region, size: regionSize)
    }

    private func assertSingleFreeBlock(_ heap: borrowing HeapAllocator, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(heap.isConsistent(), file: file, line: line)
        XCTAssertEqual(heap.freeBlockCount, 1, file: file, line: line)
        XCTAssertEqual(heap.allocationCount, 0, file: file, line: line)
        XCTAssertEqual(heap.bytesInUse, 0, file: file, line: line)
        XCTAssertEqual(heap.bytesFree, heap.capacity, file: file, line: line)
        XCTAssertEqual(heap.largestFreeBlock, heap.capacity - HeapAllocator.headerSize, file: file, line: line)
    }

    func testFreshHeapIsOneFreeBlock() {
        let heap = makeHeap()
        XCTAssertEqual(heap.capacity, regionSize)
        assertSingleFreeBlock(heap)
    }

    func testPlaceholderHeapRefusesEverything() {
        var heap = HeapAllocator()
        XCTAssertEqual(heap.capacity, 0)
        XCTAssertNil(heap.allocate(size: 1))
        XCTAssertEqual(heap.free(region + 64), .outsideHeap)
        XCTAssertTrue(heap.isConsistent())
        heap = makeHeap()
        XCTAssertNotNil(heap.allocate(size: 1), "replaced by a real heap once there is a region")
    }

    func testAllocationsAreInsideTheRegionAndCounted() {
        var heap = makeHeap()
        let pointer = heap.allocate(size: 100)!
        XCTAssertTrue(heap.owns(pointer))
        XCTAssertTrue(heap.owns(pointer + 99))
        XCTAssertEqual(heap.allocationCount, 1)
        XCTAssertEqual(heap.bytesInUse, 112 + HeapAllocator.headerSize)
        XCTAssertEqual(heap.bytesInUse + heap.bytesFree, heap.capacity)
        XCTAssertTrue(heap.isConsistent())
        XCTAssertEqual(heap.free(pointer), .freed)
        assertSingleFreeBlock(heap)
    }

    func testEveryAlignmentFrom16To4096IsHonoured() {
        var heap = makeHeap()
        var pointers: [UnsafeMutableRawPointer] = []
        for shift in 0...12 {
            for size in [1, 24, 4096, 5000] {
                let alignment = 1 << shift
                guard let pointer = heap.allocate(size: size, alignment: alignment) else {
                    return XCTFail("size \(size) alignment \(alignment)")
                }
                XCTAssertEqual(Int(bitPattern: pointer) % max(alignment, 16), 0, "alignment \(alignment)")
                pointer.initializeMemory(as: UInt8.self, repeating: UInt8(shift), count: size)
                pointers.append(pointer)
            }
        }
        XCTAssertTrue(heap.isConsistent())
        for pointer in pointers { XCTAssertEqual(heap.free(pointer), .freed) }
        assertSingleFreeBlock(heap)
    }

    func testZeroByteAllocationsAreDistinct() {
        var heap = makeHeap()
        let first = heap.allocate(size: 0)!
        let second = heap.allocate(size: 0)!
        XCTAssertNotEqual(first, second)
        XCTAssertEqual(heap.free(first), .freed)
        XCTAssertEqual(heap.free(second), .freed)
        assertSingleFreeBlock(heap)
    }

    func testAbsurdRequestsFailWithoutTrapping() {
        var heap = makeHeap()
        for size in [-1, Int.min, Int.max, Int.max - 15, regionSize, regionSize - HeapAllocator.headerSize + 1] {
            XCTAssertNil(heap.allocate(size: size), "size \(size)")
        }
        for alignment in [0, -16, 3, 24, 1 << 62, Int.min, regionSize * 2] {
            XCTAssertNil(heap.allocate(size: 16, alignment: alignment), "alignment \(alignment)")
        }
        assertSingleFreeBlock(heap)
    }

    func testTheWholeRegionCanBeAllocatedAtOnce() {
        var heap = makeHeap()
        let largest = heap.largestFreeBlock
        let pointer = heap.allocate(size: largest)!
        XCTAssertEqual(heap.bytesFree, 0)
        XCTAssertEqual(heap.largestFreeBlock, 0)
        XCTAssertNil(heap.allocate(size: 0))
        XCTAssertEqual(heap.free(pointer), .freed)
        assertSingleFreeBlock(heap)
    }

    func testExhaustionReturnsNilAndFreeingMakesRoomAgain() {
        var heap = makeHeap()
        var pointers: [UnsafeMutableRawPointer] = []
        while let pointer = heap.allocate(size: 1000) { pointers.append(pointer) }
        XCTAssertEqual(pointers.count, regionSize / (1008 + HeapAllocator.headerSize))
        XCTAssertLessThan(heap.largestFreeBlock, 1000)
        XCTAssertTrue(heap.isConsistent())
        XCTAssertEqual(heap.free(pointers.removeLast()), .freed)
        XCTAssertNotNil(heap.allocate(size: 1000))
    }

    func testFreeingOutsideTheRegionIsRefused() {
        var heap = makeHeap()
        let live = heap.allocate(size: 64)!
        let foreign = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 16)
        defer { foreign.deallocate() }
        XCTAssertEqual(heap.free(foreign), .outsideHeap)
        XCTAssertEqual(heap.free(region), .outsideHeap, "the region start has no header before it")
        XCTAssertEqual(heap.free(region + regionSize), .outsideHeap)
        XCTAssertEqual(heap.allocationCount, 1)
        XCTAssertEqual(heap.free(live), .freed)
    }

    func testInteriorAndForgedPointersAreRefused() {
        var heap = makeHeap()
        let first = heap.allocate(size: 256)!
        let second = heap.allocate(size: 256)!
        for interior in [first + 1, first + 16, first + 128, second + 32] {
            XCTAssertEqual(heap.free(interior), .notAnAllocation)
        }
        // A verbatim copy of a real header, placed elsewhere, must not pass:
        // the tag is bound to the address it was written at.
        (first + 64).copyMemory(from: second - HeapAllocator.headerSize, byteCount: HeapAllocator.headerSize)
        XCTAssertEqual(heap.free(first + 64 + HeapAllocator.headerSize), .notAnAllocation)
        XCTAssertTrue(heap.isConsistent())
        XCTAssertEqual(heap.allocationCount, 2)
    }

    func testOverwrittenHeaderIsDetectedNotTrusted() {
        var heap = makeHeap()
        let first = heap.allocate(size: 64)!
        let second = heap.allocate(size: 64)!
        // Simulate a buffer overflow from `first` into `second`'s header.
        (second - HeapAllocator.headerSize).initializeMemory(as: UInt8.self, repeating: 0x41, count: HeapAllocator.headerSize)
        XCTAssertEqual(heap.free(second), .notAnAllocation)
        XCTAssertEqual(heap.free(first), .notAnAllocation,
                       "its neighbour no longer agrees on its size: merging with it would spread the damage")
        XCTAssertEqual(heap.allocationCount, 2)
    }

    func testCorruptedSizeWithValidTagIsRefused() {
        var heap = makeHeap()
        let first = heap.allocate(size: 64)!
        _ = heap.allocate(size: 64)!
        let sizeField = (first - HeapAllocator.headerSize).assumingMemoryBound(to: UInt.self)
        let realSize = sizeField.pointee
        for bogus in [realSize + 16, realSize - 16, 0, 8, UInt.max, UInt(regionSize) * 4] {
            sizeField.pointee = bogus
            XCTAssertEqual(heap.free(first), .notAnAllocation, "size \(bogus)")
        }
        sizeField.pointee = realSize
        XCTAssertEqual(heap.free(first), .freed)
        XCTAssertTrue(heap.isConsistent())
    }

    func testDoubleFreeIsDetected() {
        var heap = makeHeap()
        let pointer = heap.allocate(size: 64)!
        _ = heap.allocate(size: 64)
        XCTAssertEqual(heap.free(pointer), .freed)
        let snapshot = (heap.bytesFree, heap.freeBlockCount)
        XCTAssertEqual(heap.free(pointer), .alreadyFree)
        XCTAssertEqual(heap.bytesFree, snapshot.0)
        XCTAssertEqual(heap.freeBlockCount, snapshot.1)
        XCTAssertTrue(heap.isConsistent())
    }

    func testDoubleFreeOfABlockAlreadyMergedIntoItsNeighbour() {
        var heap = makeHeap()
        let first = heap.allocate(size: 64)!
        let second = heap.allocate(size: 64)!
        let guardBlock = heap.allocate(size: 64)!
        XCTAssertEqual(heap.free(first), .freed)
        XCTAssertEqual(heap.free(second), .freed, "merges into first")
        XCTAssertEqual(heap.free(second), .alreadyFree)
        XCTAssertEqual(heap.free(first), .alreadyFree)
        XCTAssertTrue(heap.isConsistent())
        XCTAssertEqual(heap.free(guardBlock), .freed)
        assertSingleFreeBlock(heap)
    }

    func testCoalescingWithBothNeighbours() {
        var heap = makeHeap()
        let a = heap.allocate(size: 100)!
        let b = heap.allocate(size: 100)!
        let c = heap.allocate(size: 100)!
        let d = heap.allocate(size: 100)!
        XCTAssertEqual(heap.freeBlockCount, 1, "the tail")
        XCTAssertEqual(heap.free(a), .freed)
        XCTAssertEqual(heap.freeBlockCount, 2)
        XCTAssertEqual(heap.free(c), .freed)
        XCTAssertEqual(heap.freeBlockCount, 3)
        XCTAssertEqual(heap.free(b), .freed)
        XCTAssertEqual(heap.freeBlockCount, 2, "a, b and c are one block")
        XCTAssertEqual(heap.largestFreeBlock, heap.capacity - 4 * 144 - HeapAllocator.headerSize, "the tail is larger")
        XCTAssertNotNil(heap.allocate(size: 3 * 144 - HeapAllocator.headerSize, alignment: 16))
        XCTAssertEqual(heap.free(d), .freed)
        XCTAssertTrue(heap.isConsistent())
    }

    /// An 8 KiB heap: a small block, then a page-aligned block that runs to
    /// the end, so the only free memory left is the gap the alignment cut.
    func testAlignmentGapBecomesAFreeBlockThatIsReused() {
        var heap = HeapAllocator(region: region, size: 8192)
        let small = heap.allocate(size: 16)!
        let aligned = heap.allocate(size: 4096, alignment: 4096)!
        XCTAssertEqual(aligned, region + 4096)
        XCTAssertEqual(heap.freeBlockCount, 1)
        XCTAssertEqual(heap.largestFreeBlock, 4096 - HeapAllocator.headerSize - 48 - HeapAllocator.headerSize)
        let filler = heap.allocate(size: 1024)!
        XCTAssertTrue(filler > small && filler < aligned, "the gap is reused")
        XCTAssertTrue(heap.isConsistent())
        for pointer in [small, aligned, filler] { XCTAssertEqual(heap.free(pointer), .freed) }
        assertSingleFreeBlock(heap)
    }

    func testUnalignedAndTinyRegions() {
        var skewed = HeapAllocator(region: region + 3, size: 1000)
        XCTAssertEqual(skewed.capacity, 976, "trimmed to 16-byte boundaries at both ends")
        let pointer = skewed.allocate(size: 10)!
        XCTAssertEqual(Int(bitPattern: pointer) % 16, 0)
        XCTAssertEqual(skewed.free(pointer), .freed)
        assertSingleFreeBlock(skewed)

        var tiny = HeapAllocator(region: region, size: 47)
        XCTAssertEqual(tiny.capacity, 0)
        XCTAssertNil(tiny.allocate(size: 1))
        XCTAssertEqual(tiny.free(region + 32), .outsideHeap)
        var negative = HeapAllocator(region: region, size: -5)
        XCTAssertNil(negative.allocate(size: 0))
        XCTAssertTrue(negative.isConsistent())
    }

    /// Random allocations and frees with a pattern in every live block; all
    /// patterns must survive, no two blocks may overlap, the heap must stay
    /// consistent, and freeing everything must give back the single block.
    func testRandomStressKeepsDataIntactAndCoalescesFully() {
        for seed: UInt64 in [1, 0xDEAD_BEEF, 77] {
            runStress(seed: seed, steps: 5000)
        }
    }

    private struct Live {
        var pointer: UnsafeMutableRawPointer
        var size: Int
        var pattern: UInt8
    }

    private func runStress(seed: UInt64, steps: Int) {
        var generator = SeededGenerator(seed: seed)
        var heap = makeHeap()
        var live: [Live] = []
        for step in 0..<steps {
            if live.isEmpty || Int.random(in: 0..<100, using: &generator) < 55 {
                let size = randomSize(&generator)
                let alignment = 1 << Int.random(in: 0...12, using: &generator)
                let before = heap.bytesFree
                if let pointer = heap.allocate(size: size, alignment: alignment) {
                    XCTAssertEqual(Int(bitPattern: pointer) % max(alignment, 16), 0)
                    let pattern = UInt8(truncatingIfNeeded: step) | 1
                    pointer.initializeMemory(as: UInt8.self, repeating: pattern, count: size)
                    live.append(Live(pointer: pointer, size: size, pattern: pattern))
                } else {
                    XCTAssertEqual(heap.bytesFree, before, "a failed allocation changes nothing")
                }
            } else {
                let victim = live.remove(at: Int.random(in: 0..<live.count, using: &generator))
                XCTAssertTrue(holdsPattern(victim), "seed \(seed) step \(step): block corrupted")
                XCTAssertEqual(heap.free(victim.pointer), .freed, "seed \(seed) step \(step)")
            }
            XCTAssertEqual(heap.allocationCount, live.count)
            if step % 97 == 0 {
                XCTAssertTrue(heap.isConsistent(), "seed \(seed) step \(step)")
                assertDisjoint(live)
            }
        }
        for block in live {
            XCTAssertTrue(holdsPattern(block))
            XCTAssertEqual(heap.free(block.pointer), .freed)
        }
        assertSingleFreeBlock(heap)
    }

    private func randomSize(_ generator: inout SeededGenerator) -> Int {
        switch Int.random(in: 0..<10, using: &generator) {
        case 0: 0
        case 1: Int.random(in: 4096...40_000, using: &generator)
        default: Int.random(in: 1...512, using: &generator)
        }
    }

    private func holdsPattern(_ block: Live) -> Bool {
        let bytes = UnsafeRawBufferPointer(start: block.pointer, count: block.size)
        return bytes.allSatisfy { $0 == block.pattern }
    }

    private func assertDisjoint(_ live: [Live]) {
        let sorted = live.sorted { $0.pointer < $1.pointer }
        for (lower, upper) in zip(sorted, sorted.dropFirst()) {
            XCTAssertLessThanOrEqual(lower.pointer + lower.size, upper.pointer, "blocks overlap")
        }
    }
}
