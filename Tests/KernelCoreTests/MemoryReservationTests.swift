import XCTest
import XenPublic
@testable import KernelCore

/// XEN_DOMCTL_max_mem, then XENMEM_populate_physmap and
/// XENMEM_decrease_reservation as dom0's builder makes them.
final class MemoryReservationTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var domain: Domain!

    override func setUp() {
        fixture = HypervisorFixture(spareFrames: 128)
        domain = fixture.createDomain("ram")
    }

    override func tearDown() {
        for domain in fixture.hypervisor.domains where domain.id > 1 { domain.memory.release() }
        fixture.release()
    }

    private var dom0: Domain { fixture.dom0 }

    private func decrease(_ frames: [UInt64], domid: UInt16? = nil, by caller: Domain? = nil) -> UInt64 {
        fixture.reservation(caller ?? dom0, XENMEM_decrease_reservation, domid: domid ?? domain.id, frames: frames)
    }

    private func totPages(_ id: UInt16) -> UInt64 { fixture.domainInfo(dom0, id).1.u.getdomaininfo.tot_pages }
    private func maxPages(_ id: UInt16) -> UInt64 { fixture.domainInfo(dom0, id).1.u.getdomaininfo.max_pages }

    // MARK: - max_mem

    func testMaxMemIsInKiB() {
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 16), ReturnValue.ok)
        XCTAssertEqual(domain.maximumFrames, 4)
        XCTAssertEqual(maxPages(domain.id), 4)
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 4095), ReturnValue.ok)
        XCTAssertEqual(domain.maximumFrames, 1023, "rounded down to whole frames")
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 0), ReturnValue.ok)
        XCTAssertEqual(domain.maximumFrames, 0)
    }

    func testMaxMemUpToFourGiB() {
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 4 << 20), ReturnValue.ok)
        XCTAssertEqual(domain.maximumFrames, 1 << 20)
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: (4 << 20) + 4), ReturnValue.EINVAL)
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: .max), ReturnValue.EINVAL)
        XCTAssertEqual(domain.maximumFrames, 1 << 20)
    }

    func testMaxMemOfDom0OrAMissingDomain() {
        XCTAssertEqual(fixture.setMaxMem(0, kilobytes: 4), ReturnValue.EINVAL)
        XCTAssertEqual(dom0.maximumFrames, 256)
        XCTAssertEqual(fixture.setMaxMem(42, kilobytes: 4), ReturnValue.ESRCH)
    }

    // MARK: - populate_physmap

    func testPopulateStopsAtMaxMem() {
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 16), ReturnValue.ok)
        let free = fixture.fake.freeFrames
        XCTAssertEqual(fixture.populate(domain.id, frames: [0, 1, 2, 3, 4, 5]), 4)
        XCTAssertEqual(domain.memory.frameCount, 4)
        XCTAssertEqual(totPages(domain.id), 4)
        XCTAssertEqual(maxPages(domain.id), 4)
        for frame: UInt64 in 0..<4 { XCTAssertNotNil(domain.memory.hostFrame(of: frame)) }
        XCTAssertNil(domain.memory.hostFrame(of: 4))
        // Four RAM frames and the nested tables' PDPT, PD and PT.
        XCTAssertEqual(fixture.fake.freeFrames, free - 4 - 3)
        XCTAssertEqual(fixture.populate(domain.id, frames: [4]), 0, "at the limit")
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 20), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(domain.id, frames: [4, 5]), 1)
        XCTAssertEqual(totPages(domain.id), 5)
    }

    func testPopulatedFramesAreZeroedAndInTheNestedTable() throws {
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 8), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(domain.id, frames: [0x100, 0x3_0000]), 2)
        for guestFrame: UInt64 in [0x100, 0x3_0000] {
            let host = try XCTUnwrap(domain.memory.hostFrame(of: guestFrame))
            XCTAssertEqual(domain.memory.nestedPageTable.translate(guestFrame * 4096 + 0x123), host + 0x123)
            XCTAssertEqual(fixture.fake.bytes(at: host, count: 4096), [UInt8](repeating: 0, count: 4096))
        }
        XCTAssertEqual(domain.memory.byteCount, 0x3_0001 * 4096)
    }

    func testPopulateStopsAtAnAlreadyPopulatedFrame() {
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 32), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(domain.id, frames: [0, 1]), 2)
        XCTAssertEqual(fixture.populate(domain.id, frames: [2, 1, 3]), 1)
        XCTAssertNotNil(domain.memory.hostFrame(of: 2))
        XCTAssertNil(domain.memory.hostFrame(of: 3), "nothing after the failing one")
        XCTAssertEqual(totPages(domain.id), 3)
        XCTAssertEqual(fixture.populate(domain.id, frames: [4, 4]), 1)
        XCTAssertEqual(totPages(domain.id), 4)
    }

    func testPopulateStopsWhenMemoryRunsOut() {
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 64), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(domain.id, frames: [0]), 1)      // the nested tables exist now
        fixture.fake.remainingAllocations = 2
        XCTAssertEqual(fixture.populate(domain.id, frames: [1, 2, 3, 4]), 2)
        XCTAssertEqual(totPages(domain.id), 3)
    }

    func testPopulateStopsAtAFrameOutOfRange() {
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 64), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(domain.id, frames: [0, 1 << 20, 1]), 1)
        XCTAssertEqual(fixture.populate(domain.id, frames: [2, .max, 3]), 1)
        XCTAssertEqual(totPages(domain.id), 2)
    }

    func testPopulateHandlesListsLongerThanOneBatch() throws {
        let big = HypervisorFixture(spareFrames: 700)
        defer { big.release() }
        let domain = try XCTUnwrap(big.createDomain("big"))
        defer { domain.memory.release() }
        XCTAssertEqual(big.setMaxMem(domain.id, kilobytes: 4 * 590), ReturnValue.ok)
        let frames = (0..<600).map { UInt64($0) * 3 }           // 512 per step, then the rest
        XCTAssertEqual(big.populate(domain.id, frames: frames), 590)
        XCTAssertNotNil(domain.memory.hostFrame(of: 589 * 3))
        XCTAssertNil(domain.memory.hostFrame(of: 590 * 3))
        XCTAssertEqual(domain.memory.frameCount, 590)
    }

    func testOrderOtherThanZeroIsEINVAL() {
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 64), ReturnValue.ok)
        for order: UInt32 in [1, 9, 18] {
            XCTAssertEqual(fixture.reservation(dom0, XENMEM_populate_physmap, domid: domain.id, frames: [0], order: order),
                           ReturnValue.EINVAL)
        }
        XCTAssertEqual(domain.memory.frameCount, 0)
        XCTAssertEqual(fixture.populate(domain.id, frames: [0]), 1)
        XCTAssertEqual(fixture.reservation(dom0, XENMEM_decrease_reservation, domid: domain.id, frames: [0], order: 1),
                       ReturnValue.EINVAL)
        XCTAssertEqual(domain.memory.frameCount, 1)
    }

    func testBadExtentListIsEFAULT() {
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 64), ReturnValue.ok)
        XCTAssertEqual(fixture.reservation(dom0, XENMEM_populate_physmap, domid: domain.id, frames: [],
                                           list: GuestBuffer.outside, count: 2), ReturnValue.EFAULT)
        // The list runs past the end of dom0's RAM.
        XCTAssertEqual(fixture.reservation(dom0, XENMEM_populate_physmap, domid: domain.id, frames: [],
                                           list: HypervisorFixture.memoryBytes - 8, count: 2), ReturnValue.EFAULT)
        XCTAssertEqual(domain.memory.frameCount, 0)
    }

    func testBadReservationPointerIsEFAULT() {
        XCTAssertEqual(fixture.call(dom0, __HYPERVISOR_memory_op, UInt64(XENMEM_populate_physmap), GuestBuffer.outside),
                       ReturnValue.EFAULT)
        XCTAssertEqual(fixture.call(dom0, __HYPERVISOR_memory_op, UInt64(XENMEM_decrease_reservation),
                                    HypervisorFixture.memoryBytes - 16), ReturnValue.EFAULT)
    }

    func testTooManyExtentsIsEINVAL() {
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 64), ReturnValue.ok)
        XCTAssertEqual(fixture.reservation(dom0, XENMEM_populate_physmap, domid: domain.id, frames: [0],
                                           count: MemoryReservation.maximumExtents + 1), ReturnValue.EINVAL)
        XCTAssertEqual(domain.memory.frameCount, 0)
    }

    func testEmptyListDoesNothing() {
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 64), ReturnValue.ok)
        XCTAssertEqual(fixture.reservation(dom0, XENMEM_populate_physmap, domid: domain.id, frames: [],
                                           list: GuestBuffer.outside, count: 0), 0)
    }

    func testPopulateForAMissingDomainIsESRCH() {
        XCTAssertEqual(fixture.populate(77, frames: [0]), ReturnValue.ESRCH)
    }

    func testUnprivilegedCannotPopulateAnotherDomain() {
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 64), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(domain.id, frames: [0], by: fixture.domU), ReturnValue.EPERM)
        XCTAssertEqual(fixture.populate(0, frames: [0x200], by: fixture.domU), ReturnValue.EPERM)
        XCTAssertEqual(decrease([0], domid: 0, by: fixture.domU), ReturnValue.EPERM)
        XCTAssertEqual(domain.memory.frameCount, 0)
        XCTAssertEqual(dom0.memory.frameCount, 256)
    }

    func testADomainAtItsLimitGetsNoMoreForItself() {
        XCTAssertEqual(fixture.populate(HypervisorFixture.domidSelf, frames: [0x200], by: fixture.domU), 0)
        XCTAssertEqual(fixture.domU.memory.frameCount, 256)
    }

    func testFinishedDomainIsEINVAL() {
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 64), ReturnValue.ok)
        domain.state = .crashed("test")
        XCTAssertEqual(fixture.populate(domain.id, frames: [0]), ReturnValue.EINVAL)
        XCTAssertEqual(decrease([0]), ReturnValue.EINVAL)
    }

    // MARK: - decrease_reservation

    func testDecreaseReturnsFramesAndAsksForAFlush() throws {
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 32), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(domain.id, frames: [0, 1, 2, 3]), 4)
        XCTAssertEqual(fixture.setStartContext(domain.id, StartContext.make(entry: 0x10)), ReturnValue.ok)
        let host1 = try XCTUnwrap(domain.memory.hostFrame(of: 1))
        let host2 = try XCTUnwrap(domain.memory.hostFrame(of: 2))
        let free = fixture.fake.freeFrames
        XCTAssertEqual(fixture.backend.translationFlushes, 0)
        XCTAssertEqual(decrease([1, 2]), 2)
        XCTAssertEqual(fixture.fake.freeFrames, free + 2)
        XCTAssertFalse(fixture.fake.isAllocated(host1))
        XCTAssertFalse(fixture.fake.isAllocated(host2))
        XCTAssertNil(domain.memory.hostFrame(of: 1))
        XCTAssertNil(domain.memory.nestedPageTable.translate(0x1000))
        XCTAssertNil(domain.memory.nestedPageTable.translate(0x2000))
        XCTAssertNotNil(domain.memory.nestedPageTable.translate(0x3000))
        XCTAssertEqual(fixture.backend.translationFlushes, 1, "its vCPU forgets them at once")
        XCTAssertEqual(totPages(domain.id), 2)
        XCTAssertTrue(fixture.fake.badFrees.isEmpty)
        // The room is there again below max_mem.
        XCTAssertEqual(fixture.populate(domain.id, frames: [5, 6, 7, 8, 9, 10, 11]), 6)
    }

    func testDecreaseStopsAtAFrameThatIsNotThere() {
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 32), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(domain.id, frames: [0, 1, 2]), 3)
        XCTAssertEqual(decrease([0, 7, 1]), 1)
        XCTAssertNotNil(domain.memory.hostFrame(of: 1))
        XCTAssertEqual(decrease([0]), 0, "already gone")
        XCTAssertEqual(totPages(domain.id), 2)
        XCTAssertTrue(fixture.fake.badFrees.isEmpty)
    }

    func testDecreaseOfNothingAsksForNoFlush() {
        XCTAssertEqual(decrease([0x300], domid: 1), 0)
        XCTAssertEqual(fixture.backend.translationFlushes, 0)
    }

    func testADomainMayGiveBackItsOwnMemory() {
        XCTAssertEqual(decrease([0x80, 0x81], domid: HypervisorFixture.domidSelf, by: fixture.domU), 2)
        XCTAssertEqual(fixture.domU.memory.frameCount, 254)
        XCTAssertEqual(fixture.backend.translationFlushes, 1)
    }
}
