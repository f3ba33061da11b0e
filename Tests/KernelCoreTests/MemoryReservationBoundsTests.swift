import XCTest
import XenPublic
@testable import KernelCore

/// What XENMEM_populate_physmap may cost the hypervisor: never more than the
/// domain's own limits allow, whatever frame numbers the guest picks, and
/// never a trap. (Issue: a domU that gave back one frame and asked for
/// frame 0xfffff made the guest-frame map grow to a million entries on the
/// hypervisor heap.)
final class MemoryReservationBoundsTests: XCTestCase {
    private var fixture: HypervisorFixture!

    override func setUp() {
        fixture = HypervisorFixture(spareFrames: 160)
    }

    override func tearDown() {
        for domain in fixture.hypervisor.domains where domain.id > 1 { domain.memory.release() }
        fixture.release()
    }

    private var domU: Domain { fixture.domU }
    private let domidSelf = HypervisorFixture.domidSelf

    /// The P2M is the nested page table: its nodes are table frames, and
    /// the hypervisor heap holds nothing per guest frame.
    func testAHighFrameAfterADecreaseCostsOneFrameAndTwoTables() throws {
        let free = fixture.fake.freeFrames
        let tables = domU.memory.nestedPageTable.tableFrameCount
        XCTAssertEqual(fixture.reservation(domU, XENMEM_decrease_reservation, domid: domidSelf, frames: [0x80]), 1)
        XCTAssertEqual(fixture.populate(domidSelf, frames: [0xF_FFFF], by: domU), 1)
        XCTAssertNotNil(domU.memory.hostFrame(of: 0xF_FFFF))
        XCTAssertNil(domU.memory.hostFrame(of: 0x80))
        XCTAssertEqual(domU.memory.frameCount, 256)
        // A page directory for the fourth GiB and a page table in it.
        XCTAssertEqual(domU.memory.nestedPageTable.tableFrameCount, tables + 2)
        XCTAssertEqual(fixture.fake.freeFrames, free + 1 - 1 - 2)
        XCTAssertEqual(domU.memory.byteCount, 1 << 32, "one past the highest frame ever populated")
        XCTAssertEqual(fixture.call(domU, __HYPERVISOR_memory_op, UInt64(XENMEM_maximum_ram_page)), 0xF_FFFF)
    }

    func testSmallPopulatesAtRisingFramesCostTablesNotFrameNumbers() throws {
        let frames: [UInt64] = [0x1_0000, 0x4_0000, 0x8_0000, 0xC_0000, 0xF_FFFF]
        let tables = domU.memory.nestedPageTable.tableFrameCount
        for (index, frame) in frames.enumerated() {
            XCTAssertEqual(fixture.reservation(domU, XENMEM_decrease_reservation, domid: domidSelf,
                                               frames: [0x40 + UInt64(index)]), 1)
            XCTAssertEqual(fixture.populate(domidSelf, frames: [frame], by: domU), 1)
        }
        for frame in frames { XCTAssertNotNil(domU.memory.hostFrame(of: frame)) }
        XCTAssertEqual(domU.memory.frameCount, 256)
        // A page table each, and a page directory for each GiB after the first.
        XCTAssertEqual(domU.memory.nestedPageTable.tableFrameCount, tables + 5 + 3)
    }

    func testScatteredFramesStopAtThePageTableAllowance() throws {
        let domain = try XCTUnwrap(fixture.createDomain("scatter"))
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 4096), ReturnValue.ok)     // 1024 frames
        XCTAssertEqual(domain.memory.tableFrameLimit, 64 + 1024 / 256)
        // One frame per 2 MiB: each needs a page table of its own.
        let scattered = (0..<1024).map { UInt64($0) * 512 }
        // Root, PDPT and one page directory, then 65 page tables: 68.
        XCTAssertEqual(fixture.populate(domain.id, frames: scattered), 65)
        XCTAssertEqual(domain.memory.nestedPageTable.tableFrameCount, 68)
        XCTAssertEqual(domain.memory.frameCount, 65)
        XCTAssertGreaterThan(fixture.fake.freeFrames, 0, "the limit came first, not the machine's end")
        // Frames that need no new table still come.
        XCTAssertEqual(fixture.populate(domain.id, frames: [1, 2, 513]), 3)
        XCTAssertEqual(domain.memory.nestedPageTable.tableFrameCount, 68)
    }

    func testAFailedPopulateLeavesNoEmptyTables() throws {
        let domain = try XCTUnwrap(fixture.createDomain("tidy"))
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 64), ReturnValue.ok)
        let free = fixture.fake.freeFrames
        fixture.fake.remainingAllocations = 2              // the RAM frame, the PDPT; not the directory
        XCTAssertEqual(fixture.populate(domain.id, frames: [0x4_0000]), 0)
        XCTAssertEqual(domain.memory.nestedPageTable.tableFrameCount, 1)
        XCTAssertEqual(fixture.fake.freeFrames, free)
        XCTAssertTrue(fixture.fake.badFrees.isEmpty)
    }

    func testPopulatePastMaxMemCountsWhatWasDone() throws {
        let domain = try XCTUnwrap(fixture.createDomain("counted"))
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 6 * 4), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(domain.id, frames: [0, 0xF_FFFF, 7, 0x8_0000]), 4)
        XCTAssertEqual(fixture.populate(domain.id, frames: [1, 2, 3]), 2)
        XCTAssertEqual(fixture.populate(domain.id, frames: [4]), 0)
        XCTAssertEqual(domain.memory.frameCount, 6)
        XCTAssertEqual(fixture.domainInfo(fixture.dom0, domain.id).1.u.getdomaininfo.tot_pages, 6)
    }

    func testRunningOutOfFramesIsACountNotATrap() throws {
        let domain = try XCTUnwrap(fixture.createDomain("hungry"))
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 4 << 20), ReturnValue.ok)
        let free = fixture.fake.freeFrames
        let done = fixture.populate(domain.id, frames: (0..<UInt64(free + 10)).map { $0 })
        XCTAssertLessThan(done, UInt64(free))
        XCTAssertEqual(fixture.fake.freeFrames, 0)
        XCTAssertEqual(domain.memory.frameCount, Int(done))
    }
}
