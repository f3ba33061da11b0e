import XCTest
@testable import KernelCore

/// DomainMemory (the P2M, its nested tables and the references its foreign
/// mappings hold) against a plain model: random populates, decreases,
/// foreign maps and unmaps, over frame numbers clustered low and high so
/// that tables are made and freed all the time. After every step the two
/// must agree, and at the end every frame must be back.
final class DomainMemoryModelTests: XCTestCase {
    func testRandomOperationsAgainstAModel() throws {
        for seed: UInt64 in 1...4 { try run(seed: seed) }
    }

    /// What the model knows: the owner's RAM, and what the mapper shows.
    private struct Model {
        var ram: [Int: UInt64] = [:]            // owner's guest frame -> host frame
        var mapped: [UInt64: Int] = [:]         // mapper's guest frame -> owner's guest frame
        var frameEnd = 0

        func references(to ownerFrame: Int) -> Int { mapped.values.filter { $0 == ownerFrame }.count }
    }

    private static let maximumFrames = 40
    /// Clusters around table boundaries, and the top of the 4 GiB.
    private static let clusterStarts = [0, 0x1F0, 0x3_FF00, 0xF_FE00]

    private func run(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let fake = FakePhysicalMemory(frames: 500)
        let frames = FrameReferences(fake)
        let owner = try XCTUnwrap(DomainMemory(format: .npt, frames: frames))
        let mapper = try XCTUnwrap(DomainMemory(format: .ept, frames: frames))
        owner.maximumFrames = Self.maximumFrames
        var model = Model()
        var outcomes: Set<String> = []

        func ownerFrame() -> Int {
            if Int.random(in: 0..<3, using: &generator) > 0, let known = model.ram.keys.randomElement(using: &generator) {
                return known
            }
            return Self.clusterStarts.randomElement(using: &generator)! + Int.random(in: 0..<0x200, using: &generator)
        }
        func mapperFrame() -> UInt64 { 0x1000 + UInt64.random(in: 0..<48, using: &generator) }

        for step in 0..<1500 {
            let context = "seed \(seed) step \(step)"
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<4:
                let frame = ownerFrame()
                // The domain's limit is checked before the frame.
                let expected: DomainMemory.PopulationError? =
                    model.ram.count >= Self.maximumFrames ? .overMaximum
                    : model.ram[frame] != nil ? .alreadyPopulated : nil
                do throws(DomainMemory.PopulationError) {
                    try owner.populate(frame: frame)
                    XCTAssertNil(expected, context)
                    outcomes.insert("populated")
                    model.ram[frame] = owner.hostFrame(of: UInt64(frame))
                    XCTAssertNotNil(model.ram[frame], context)
                    model.frameEnd = max(model.frameEnd, frame + 1)
                } catch {
                    XCTAssertEqual(error, expected, context)
                    outcomes.insert("populate: \(error)")
                }
            case 4..<6:
                let frame = ownerFrame()
                let expected: DomainMemory.PopulationError? =
                    model.ram[frame] == nil ? .notPopulated
                    : model.references(to: frame) > 0 ? .mappedElsewhere : nil
                do throws(DomainMemory.PopulationError) {
                    try owner.depopulate(frame: frame)
                    XCTAssertNil(expected, context)
                    XCTAssertFalse(fake.isAllocated(model.ram[frame]!), context)
                    outcomes.insert("depopulated")
                    model.ram[frame] = nil
                } catch {
                    XCTAssertEqual(error, expected, context)
                    outcomes.insert("depopulate: \(error)")
                }
            case 6..<8:
                let frame = ownerFrame()
                let target = mapperFrame()
                do throws(DomainMemory.PopulationError) {
                    try mapper.mapForeign(at: target, from: owner, ownerID: 5, ownerFrame: UInt64(frame))
                    XCTAssertNotNil(model.ram[frame], context)
                    outcomes.insert("mapped")
                    model.mapped[target] = frame
                } catch {
                    XCTAssertNil(model.ram[frame], context)
                    XCTAssertEqual(error, .notPopulated, context)
                }
            default:
                let target = mapperFrame()
                XCTAssertEqual(mapper.unmapForeign(at: target), model.mapped[target] != nil, context)
                model.mapped[target] = nil
            }
            if step % 5 == 0 { check(owner, mapper, frames, fake, against: model, context) }
        }
        check(owner, mapper, frames, fake, against: model, "seed \(seed) at the end")
        XCTAssertEqual(outcomes, ["populated", "populate: overMaximum", "populate: alreadyPopulated", "depopulated",
                                  "depopulate: notPopulated", "depopulate: mappedElsewhere", "mapped"],
                       "seed \(seed): every case was reached")

        // The owner goes first while the mapper still shows some of its
        // frames: those wait for the mapper.
        owner.release()
        XCTAssertEqual(frames.framesAwaitingRelease, Set(model.mapped.values).count, "seed \(seed)")
        for (target, frame) in model.mapped {
            XCTAssertEqual(mapper.nestedPageTable.translate(target * 4096), model.ram[frame], "seed \(seed)")
        }
        mapper.release()
        XCTAssertEqual(fake.allocatedFrames, 0, "seed \(seed): every frame back")
        XCTAssertEqual(fake.badFrees, [], "seed \(seed)")
        XCTAssertEqual(frames.framesAwaitingRelease, 0, "seed \(seed)")
    }

    private func check(_ owner: DomainMemory, _ mapper: DomainMemory, _ frames: FrameReferences,
                       _ fake: FakePhysicalMemory, against model: Model, _ context: String) {
        XCTAssertEqual(owner.frameCount, model.ram.count, context)
        XCTAssertEqual(owner.byteCount, UInt64(model.frameEnd) * 4096, context)
        XCTAssertEqual(Set(model.ram.values).count, model.ram.count, "\(context): distinct host frames")
        for (frame, host) in model.ram {
            XCTAssertEqual(owner.hostFrame(of: UInt64(frame)), host, context)
            XCTAssertEqual(frames.referenceCount(host), model.references(to: frame), context)
        }
        for (target, frame) in model.mapped {
            XCTAssertEqual(mapper.nestedPageTable.translate(target * 4096), model.ram[frame], context)
            XCTAssertNil(mapper.hostFrame(of: target), "\(context): a foreign frame is not the mapper's RAM")
        }
        XCTAssertEqual(mapper.foreignMappings.map(\.guestFrame), model.mapped.keys.sorted(), context)
        XCTAssertLessThanOrEqual(owner.nestedPageTable.tableFrameCount, owner.tableFrameLimit, context)
        XCTAssertEqual(fake.allocatedFrames,
                       model.ram.count + owner.nestedPageTable.tableFrameCount + mapper.nestedPageTable.tableFrameCount,
                       "\(context): nothing leaked, nothing freed early")
        // The tables hold exactly the model's frames.
        var mappedByTables = 0
        owner.nestedPageTable.forEachMapping { guest, host in
            mappedByTables += 1
            XCTAssertEqual(model.ram[Int(guest / 4096)], host, context)
        }
        XCTAssertEqual(mappedByTables, model.ram.count, context)
    }
}
