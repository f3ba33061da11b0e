import XCTest
@testable import KernelCore

/// FrameReferences on its own: counts, and the free that waits for the last
/// reference.
final class FrameReferencesTests: XCTestCase {
    private let fake = FakePhysicalMemory(frames: 8)
    private lazy var references = FrameReferences(fake)

    func testAnUnreferencedFrameIsFreedAtOnce() throws {
        let frame = try XCTUnwrap(references.allocateZeroedFrame())
        XCTAssertFalse(references.isReferenced(frame))
        references.freeFrame(frame)
        XCTAssertFalse(fake.isAllocated(frame))
        XCTAssertEqual(references.freeFrames, 8)
    }

    func testCountsUpAndDown() throws {
        let frame = try XCTUnwrap(references.allocateZeroedFrame())
        references.takeReference(to: frame)
        references.takeReference(to: frame)
        XCTAssertEqual(references.referenceCount(frame), 2)
        references.dropReference(to: frame)
        XCTAssertEqual(references.referenceCount(frame), 1)
        references.dropReference(to: frame)
        XCTAssertFalse(references.isReferenced(frame))
        XCTAssertTrue(fake.isAllocated(frame), "dropping references frees nothing the owner still has")
    }

    func testAReferencedFrameIsFreedWhenTheLastReferenceGoes() throws {
        let frame = try XCTUnwrap(references.allocateZeroedFrame())
        references.takeReference(to: frame)
        references.takeReference(to: frame)
        references.freeFrame(frame)
        XCTAssertTrue(fake.isAllocated(frame))
        XCTAssertEqual(references.framesAwaitingRelease, 1)
        XCTAssertEqual(references.freeFrames, 7, "not free while it waits")
        references.dropReference(to: frame)
        XCTAssertTrue(fake.isAllocated(frame))
        references.dropReference(to: frame)
        XCTAssertFalse(fake.isAllocated(frame))
        XCTAssertEqual(references.framesAwaitingRelease, 0)
        XCTAssertEqual(fake.badFrees, [])
    }

    func testManyFramesInAnyOrder() throws {
        var generator = SeededGenerator(seed: 7)
        var frames: [UInt64] = []
        for _ in 0..<8 { frames.append(try XCTUnwrap(references.allocateZeroedFrame())) }
        var model: [UInt64: Int] = [:]
        for _ in 0..<500 {
            let frame = frames.randomElement(using: &generator)!
            if Bool.random(using: &generator) || model[frame, default: 0] == 0 {
                references.takeReference(to: frame)
                model[frame, default: 0] += 1
            } else {
                references.dropReference(to: frame)
                model[frame]! -= 1
            }
            for frame in frames { XCTAssertEqual(references.referenceCount(frame), model[frame, default: 0]) }
        }
    }
}
