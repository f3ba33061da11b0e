import XCTest
@testable import KernelCore

/// Which frames dom0 may get as they are at boot (never handed out since
/// the machine started), and the runs it gets them in.
final class FrameFirstUseTests: XCTestCase {
    private let base: UInt64 = 0x10_0000

    private func allocator(frames: Int, holeAt hole: Int? = nil) -> FrameAllocator {
        var map = [MemoryRegion(range: MemoryRange(start: base, length: UInt64(frames) * 4096), kind: .available)]
        var reserved: [MemoryRange] = []
        if let hole { reserved.append(MemoryRange(start: base + UInt64(hole) * 4096, length: 4096)) }
        map.sort { $0.range.start < $1.range.start }
        return FrameAllocator(memoryMap: map, reserved: reserved)
    }

    func testEveryFrameIsFirstUseOnceAndOnlyOnce() throws {
        var frames = allocator(frames: 4)
        let first = try XCTUnwrap(frames.allocateNotingFirstUse())
        XCTAssertEqual(first.address, base)
        XCTAssertTrue(first.firstUse)
        try frames.free(first.address)
        let again = try XCTUnwrap(frames.allocateNotingFirstUse())
        XCTAssertEqual(again.address, base)
        XCTAssertFalse(again.firstUse)
        XCTAssertEqual(frames.allocateNotingFirstUse()?.firstUse, true)
    }

    func testRunsStopAtTheMaximumAtAHoleAndAtAUsedFrame() throws {
        var frames = allocator(frames: 200, holeAt: 130)
        let a = try XCTUnwrap(frames.allocateRun(maximum: 70))
        XCTAssertEqual(a.address, base)
        XCTAssertEqual(a.count, 70)
        XCTAssertTrue(a.firstUse)
        let b = try XCTUnwrap(frames.allocateRun(maximum: 1000))
        XCTAssertEqual(b.address, base + 70 * 4096)
        XCTAssertEqual(b.count, 60, "up to the reserved frame 130")
        XCTAssertEqual(frames.freeFrames, 199 - 130)
        // A single frame freed in the middle of the first run is the next
        // run, alone, and it has been out before.
        try frames.free(base + 10 * 4096)
        let c = try XCTUnwrap(frames.allocateRun(maximum: 1000))
        XCTAssertEqual(c.address, base + 10 * 4096)
        XCTAssertEqual(c.count, 1)
        XCTAssertFalse(c.firstUse)
        let d = try XCTUnwrap(frames.allocateRun(maximum: 1000))
        XCTAssertEqual(d.address, base + 131 * 4096)
        XCTAssertEqual(d.count, 69)
        XCTAssertNil(frames.allocateRun(maximum: 1))
        XCTAssertNil(frames.allocate())
        XCTAssertNil(frames.allocateRun(maximum: 0))
    }

    func testARunWithOneReusedFrameIsNotFirstUse() throws {
        var frames = allocator(frames: 64)
        let taken = try XCTUnwrap(frames.allocateRun(maximum: 64))
        XCTAssertEqual(taken.count, 64)
        for index in [3, 4, 5] as [UInt64] { try frames.free(base + index * 4096) }
        let run = try XCTUnwrap(frames.allocateRun(maximum: 64))
        XCTAssertEqual(run.count, 3)
        XCTAssertFalse(run.firstUse)
    }

    func testContiguousAllocationCountsAsHandedOut() throws {
        var frames = allocator(frames: 16)
        let start = try XCTUnwrap(frames.allocateContiguous(frames: 4))
        for index in 0..<4 as Range<UInt64> { try frames.free(start + index * 4096) }
        XCTAssertEqual(frames.allocateRun(maximum: 16)?.firstUse, false)
    }

    /// The pool over pretend memory full of garbage: dom0's boot frames
    /// keep it the first time, and get zeros once anything had them.
    func testTheFramePoolZeroesOnlyFramesThatWereOutBefore() throws {
        let count = 32
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: count * 4096, alignment: 4096)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0xA5, count: count * 4096)
        let physical = PhysicalMemory(offset: Int(bitPattern: buffer) - Int(base))
        let pool = FramePool(allocator: allocator(frames: count), physicalMemory: physical)
        let bytes = { (frame: UInt64) in Array(UnsafeRawBufferPointer(start: physical.pointer(frame), count: 4096)) }

        let zeroed = try XCTUnwrap(pool.allocateZeroedFrame())
        XCTAssertEqual(bytes(zeroed), [UInt8](repeating: 0, count: 4096))
        physical.store64(zeroed, 0x1234)                 // the hypervisor's data
        pool.freeFrame(zeroed)

        // A run with the reused frame in it is zeroed whole.
        let run = try XCTUnwrap(pool.allocateDomain0BootFrames(upTo: 8))
        XCTAssertEqual(run.first, zeroed)
        XCTAssertEqual(run.count, 8)
        for index in 0..<UInt64(run.count) {
            XCTAssertEqual(bytes(run.first + index * 4096), [UInt8](repeating: 0, count: 4096), "frame \(index)")
        }

        let fresh = try XCTUnwrap(pool.allocateDomain0BootFrames(upTo: 8))
        XCTAssertEqual(fresh.count, 8)
        for index in 0..<UInt64(fresh.count) {
            XCTAssertEqual(bytes(fresh.first + index * 4096), [UInt8](repeating: 0xA5, count: 4096),
                           "left as the machine had it")
        }
        XCTAssertEqual(pool.freeFrames, count - 16)
    }
}
