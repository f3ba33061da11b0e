import XCTest
@testable import KernelCore

final class DomainMemoryTests: XCTestCase {
    func testAllocatesRoundedUpFramesAndMapsThem() throws {
        let fake = FakePhysicalMemory(frames: 16)
        let memory = try DomainMemory(bytes: 3 * 4096 + 1, format: .ept, frames: FrameReferences(fake))
        XCTAssertEqual(memory.frameCount, 4)
        XCTAssertEqual(memory.byteCount, 4 * 4096)
        // 4 RAM frames + root, PDPT, PD, PT.
        XCTAssertEqual(fake.allocatedFrames, 8)
        for page in 0..<4 as Range<UInt64> {
            let host = try XCTUnwrap(memory.hostAddress(of: page * 4096))
            XCTAssertEqual(memory.nestedPageTable.translate(page * 4096 + 0x10), host + 0x10)
            assertBytesEqual(fake.bytes(at: host, count: 4096), [UInt8](repeating: 0, count: 4096))
        }
        XCTAssertEqual(Set((0..<4).compactMap { memory.hostFrame(of: $0) }).count, 4)
    }

    func testHostAddressBounds() throws {
        let fake = FakePhysicalMemory(frames: 16)
        let memory = try DomainMemory(bytes: 2 * 4096, format: .npt, frames: FrameReferences(fake))
        let last = try XCTUnwrap(memory.hostAddress(of: 2 * 4096 - 1))
        XCTAssertEqual(last, memory.hostFrame(of: 1)! + 0xFFF)
        XCTAssertEqual(memory.hostAddress(of: 0), memory.hostFrame(of: 0)!)
        XCTAssertNil(memory.hostAddress(of: 2 * 4096))
        XCTAssertNil(memory.hostAddress(of: UInt64.max))
    }

    func testWriteAndZeroAcrossPageBoundaries() throws {
        let fake = FakePhysicalMemory(frames: 16)
        let memory = try DomainMemory(bytes: 3 * 4096, format: .npt, frames: FrameReferences(fake))
        let bytes = TestElfWriter.pattern(4096 + 200, seed: 1)
        XCTAssertTrue(memory.write(bytes, at: 4096 - 100))
        assertBytesEqual(fake.bytes(at: memory.hostFrame(of: 0)! + 4096 - 100, count: 100), Array(bytes[0..<100]))
        assertBytesEqual(fake.bytes(at: memory.hostFrame(of: 1)!, count: 4096), Array(bytes[100..<4196]))
        assertBytesEqual(fake.bytes(at: memory.hostFrame(of: 2)!, count: 100), Array(bytes[4196...]))
        XCTAssertEqual(fake.bytes(at: memory.hostFrame(of: 2)! + 100, count: 1), [0])

        XCTAssertTrue(memory.zero(at: 4096 - 10, count: 30))
        XCTAssertEqual(fake.bytes(at: memory.hostFrame(of: 0)! + 4096 - 11, count: 11), [bytes[89]] + [UInt8](repeating: 0, count: 10))
        XCTAssertEqual(fake.bytes(at: memory.hostFrame(of: 1)!, count: 21), [UInt8](repeating: 0, count: 20) + [bytes[120]])
    }

    func testWritePastTheEndFails() throws {
        let fake = FakePhysicalMemory(frames: 16)
        let memory = try DomainMemory(bytes: 2 * 4096, format: .npt, frames: FrameReferences(fake))
        XCTAssertTrue(memory.write([1, 2], at: 2 * 4096 - 2))
        XCTAssertFalse(memory.write([1, 2, 3], at: 2 * 4096 - 2))
        XCTAssertFalse(memory.write([1], at: UInt64.max))
        XCTAssertFalse(memory.zero(at: 2 * 4096, count: 1))
        XCTAssertTrue(memory.zero(at: 2 * 4096, count: 0))
        XCTAssertTrue(memory.write([], at: 0x1234_5678))
    }

    func testReleaseReturnsEveryFrame() throws {
        let fake = FakePhysicalMemory(frames: 64)
        let memory = try DomainMemory(bytes: 40 * 4096, format: .ept, frames: FrameReferences(fake))
        XCTAssertEqual(fake.allocatedFrames, 44)
        memory.release()
        XCTAssertEqual(fake.allocatedFrames, 0)
        XCTAssertEqual(fake.freeCount, 44)
        XCTAssertEqual(fake.badFrees, [])
        XCTAssertEqual(memory.frameCount, 0)
        XCTAssertNil(memory.hostAddress(of: 0))
    }

    func testCreationFailureLeavesNothingAllocated() {
        for budget in 0..<12 {
            let fake = FakePhysicalMemory(frames: 64)
            fake.remainingAllocations = budget
            XCTAssertThrowsError(try DomainMemory(bytes: 8 * 4096, format: .npt, frames: FrameReferences(fake)), "budget \(budget)") {
                guard case .outOfMemory(let needed) = $0 as? DomainMemory.CreationError else {
                    return XCTFail("unexpected error \($0)")
                }
                XCTAssertEqual(needed, 8)
            }
            XCTAssertEqual(fake.allocatedFrames, 0, "budget \(budget)")
            XCTAssertEqual(fake.badFrees, [], "budget \(budget)")
        }
        let fake = FakePhysicalMemory(frames: 64)
        fake.remainingAllocations = 12
        XCTAssertNoThrow(try DomainMemory(bytes: 8 * 4096, format: .npt, frames: FrameReferences(fake)))
    }

    func testCreationFailsWhenTheFakeRunsOut() {
        let fake = FakePhysicalMemory(frames: 10)
        XCTAssertThrowsError(try DomainMemory(bytes: 8 * 4096, format: .ept, frames: FrameReferences(fake)))
        XCTAssertEqual(fake.allocatedFrames, 0)
        XCTAssertEqual(fake.freeFrames, 10)
    }
}

final class DomainMemoryInitialRAMTests: XCTestCase {
    /// 1030 frames: three page tables, the last one partly filled; every
    /// guest frame its own host frame, and all of it back on release.
    func testRAMOverSeveralPageTables() throws {
        let fake = FakePhysicalMemory(frames: 1100)
        let memory = try DomainMemory(bytes: 1030 * 4096, format: .npt, frames: FrameReferences(fake))
        XCTAssertEqual(memory.frameCount, 1030)
        XCTAssertEqual(memory.byteCount, 1030 * 4096)
        XCTAssertEqual(memory.nestedPageTable.tableFrameCount, 6)      // root, PDPT, PD, 3 page tables
        XCTAssertEqual(fake.allocatedFrames, 1036)
        let hosts = (0..<1030).compactMap { memory.hostFrame(of: $0) }
        XCTAssertEqual(hosts.count, 1030)
        XCTAssertEqual(Set(hosts).count, 1030)
        XCTAssertNil(memory.hostFrame(of: 1030))
        XCTAssertThrowsError(try memory.populate(frame: 1030)) {
            XCTAssertEqual($0 as? DomainMemory.PopulationError, .overMaximum)
        }
        memory.release()
        XCTAssertEqual(fake.allocatedFrames, 0)
        XCTAssertEqual(fake.badFrees, [])
    }

    /// Dom0's way, over a source that only gives single zeroed frames (the
    /// fake): the same memory, zeroed.
    func testDomain0ContentsOverASourceThatCannotTell() throws {
        let fake = FakePhysicalMemory(frames: 600)
        let memory = try DomainMemory(bytes: 520 * 4096, format: .ept, frames: FrameReferences(fake),
                                      contents: .domain0AtBoot)
        XCTAssertEqual(memory.frameCount, 520)
        for frame in [0, 511, 512, 519] as [UInt64] {
            let host = try XCTUnwrap(memory.hostFrame(of: frame))
            XCTAssertEqual(fake.bytes(at: host, count: 4096), [UInt8](repeating: 0, count: 4096))
        }
        memory.release()
        XCTAssertEqual(fake.allocatedFrames, 0)
    }
}
