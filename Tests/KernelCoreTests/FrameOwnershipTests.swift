import XCTest
import XenPublic
@testable import KernelCore

/// "A frame another domain maps is never freed", whichever path tries:
/// decrease_reservation, shared_info over RAM, destroy. (Issue: dom0 mapped
/// a frame of a domain, then add_to_physmap put that domain's shared_info
/// over it; the frame was freed while dom0 still mapped it, and came back as
/// one of the domain's nested page tables.)
final class FrameOwnershipTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var guest: Domain!
    /// Guest frames of dom0 above its RAM where it maps the guest's frames.
    private let window: UInt64 = 0x180

    override func setUp() {
        fixture = HypervisorFixture(spareFrames: 64)
        fixture.enterLongMode()
        guest = fixture.createDomain("owner")
        XCTAssertEqual(fixture.setMaxMem(guest.id, kilobytes: 32), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(guest.id, frames: [0, 1, 2, 3]), 4)
    }

    override func tearDown() {
        for domain in fixture.hypervisor.domains where domain.id > 1 { domain.memory.release() }
        fixture.release()
    }

    private var dom0: Domain { fixture.dom0 }

    private func map(_ frames: [UInt64], at guestFrames: [UInt64]) -> [Int32] {
        fixture.addToPhysmapBatch(dom0, foreign: guest.id, indices: frames, guestFrames: guestFrames).1
    }

    private func dom0Sees(_ guestFrame: UInt64) -> UInt64? {
        dom0.memory.nestedPageTable.translate(guestFrame * 4096)
    }

    private func freePages() -> UInt64 {
        var record = xen_sysctl()
        record.cmd = UInt32(XEN_SYSCTL_physinfo)
        record.interface_version = UInt32(XEN_SYSCTL_INTERFACE_VERSION)
        dom0.memory.put(record, at: GuestBuffer.sysctl)
        XCTAssertEqual(fixture.call(dom0, __HYPERVISOR_sysctl, GuestBuffer.sysctl), ReturnValue.ok)
        return dom0.memory.load(xen_sysctl.self, at: GuestBuffer.sysctl).u.physinfo.free_pages
    }

    // MARK: - shared_info

    func testSharedInfoOverAFrameDom0MapsIsEBUSYAndTheFrameStays() throws {
        let mapped = try XCTUnwrap(guest.memory.hostFrame(of: 2))
        XCTAssertEqual(map([2], at: [window]), [0])
        XCTAssertEqual(fixture.addToPhysmap(dom0, domid: guest.id, gpfn: 2), ReturnValue.EBUSY)
        XCTAssertEqual(guest.memory.hostFrame(of: 2), mapped, "still the guest's RAM")
        XCTAssertEqual(guest.memory.frameCount, 4)
        XCTAssertTrue(fixture.fake.isAllocated(mapped))
        XCTAssertEqual(dom0Sees(window), mapped)
        XCTAssertNil(guest.sharedInfo, "nothing changed")
        // Nested tables the guest needs next cannot land on the frame.
        XCTAssertEqual(fixture.populate(guest.id, frames: [0x8_0000]), 1)
        XCTAssertEqual(guest.memory.hostFrame(of: 2), mapped)
        XCTAssertEqual(dom0Sees(window), mapped)
        // Once dom0 lets go, the page can go there.
        XCTAssertEqual(fixture.removeFromPhysmap(dom0, gpfn: window), ReturnValue.ok)
        XCTAssertEqual(fixture.addToPhysmap(dom0, domid: guest.id, gpfn: 2), ReturnValue.ok)
        XCTAssertEqual(guest.sharedInfo?.guestFrame, 2)
        XCTAssertNil(guest.memory.hostFrame(of: 2))
        XCTAssertFalse(fixture.fake.isAllocated(mapped))
        XCTAssertTrue(fixture.fake.badFrees.isEmpty)
    }

    func testARefusedSharedInfoMoveKeepsTheOldPlace() throws {
        XCTAssertEqual(fixture.addToPhysmap(dom0, domid: guest.id, gpfn: 0x100), ReturnValue.ok)
        let page = try XCTUnwrap(guest.sharedInfo)
        XCTAssertEqual(map([1], at: [window]), [0])
        XCTAssertEqual(fixture.addToPhysmap(dom0, domid: guest.id, gpfn: 1), ReturnValue.EBUSY)
        XCTAssertEqual(page.guestFrame, 0x100)
        XCTAssertEqual(guest.memory.nestedPageTable.translate(0x100 * 4096), page.hostFrame)
    }

    // MARK: - decrease_reservation

    func testAFrameMappedTwiceStaysUntilBothMappingsGo() throws {
        let mapped = try XCTUnwrap(guest.memory.hostFrame(of: 3))
        XCTAssertEqual(map([3, 3], at: [window, window + 1]), [0, 0])
        XCTAssertEqual(fixture.hypervisor.frames.referenceCount(mapped), 2)
        XCTAssertEqual(fixture.removeFromPhysmap(dom0, gpfn: window), ReturnValue.ok)
        XCTAssertEqual(fixture.reservation(dom0, XENMEM_decrease_reservation, domid: guest.id, frames: [3]), 0)
        XCTAssertTrue(fixture.fake.isAllocated(mapped))
        XCTAssertEqual(fixture.removeFromPhysmap(dom0, gpfn: window + 1), ReturnValue.ok)
        XCTAssertFalse(fixture.hypervisor.frames.isReferenced(mapped))
        XCTAssertEqual(fixture.reservation(dom0, XENMEM_decrease_reservation, domid: guest.id, frames: [3]), 1)
        XCTAssertFalse(fixture.fake.isAllocated(mapped))
    }

    func testRemappingAFrameOverItselfKeepsItsReference() throws {
        let mapped = try XCTUnwrap(guest.memory.hostFrame(of: 0))
        XCTAssertEqual(map([0], at: [window]), [0])
        XCTAssertEqual(map([0], at: [window]), [0])
        XCTAssertEqual(fixture.hypervisor.frames.referenceCount(mapped), 1)
        XCTAssertEqual(map([1], at: [window]), [0], "replaced by another frame")
        XCTAssertFalse(fixture.hypervisor.frames.isReferenced(mapped))
        XCTAssertEqual(fixture.reservation(dom0, XENMEM_decrease_reservation, domid: guest.id, frames: [0, 1]), 1)
    }

    // MARK: - foreign mapping limit

    func testForeignMappingsAreBoundedPerDomain() {
        // All of them show the same frame: only the number of mappings counts.
        // (Batches of 256: the fixture's index and frame lists must not overlap.)
        let limit = DomainMemory.maximumForeignMappings
        for batch in 0..<limit / 256 {
            let first = window + UInt64(batch * 256)
            let errors = map([UInt64](repeating: 0, count: 256), at: (0..<256).map { first + UInt64($0) })
            XCTAssertEqual(errors, [Int32](repeating: 0, count: 256), "batch \(batch)")
        }
        XCTAssertEqual(dom0.memory.foreignMappings.count, limit)
        let next = window + UInt64(limit)
        XCTAssertEqual(map([0, 1], at: [next, window]), [-12, 0], "a new one is ENOMEM; replacing one is fine")
        XCTAssertNil(dom0Sees(next))
        XCTAssertEqual(fixture.removeFromPhysmap(dom0, gpfn: window + 1), ReturnValue.ok)
        XCTAssertEqual(map([0], at: [next]), [0])
        XCTAssertEqual(fixture.hypervisor.frames.referenceCount(guest.memory.hostFrame(of: 0)!), limit - 1)
    }

    // MARK: - destroy

    func testDestroyWithMappingsOutstandingReturnsEveryPage() throws {
        let before = freePages()
        let doomed = try XCTUnwrap(fixture.buildDomain("doomed", frames: [0x10, 0x11, 0x4_0000], entry: 0x1_0000))
        XCTAssertEqual(fixture.addToPhysmapBatch(dom0, foreign: doomed.id, indices: [0x10, 0x4_0000, 0x10],
                                                 guestFrames: [window, window + 1, window + 2]).1, [0, 0, 0])
        XCTAssertEqual(fixture.addToPhysmap(dom0, domid: doomed.id, gpfn: 0x12), ReturnValue.ok)   // its shared_info
        XCTAssertLessThan(freePages(), before)
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.make(XEN_DOMCTL_destroydomain, domain: doomed.id)),
                       ReturnValue.ok)
        XCTAssertNil(dom0Sees(window))
        XCTAssertNil(dom0Sees(window + 2))
        XCTAssertEqual(fixture.hypervisor.frames.framesAwaitingRelease, 0)
        XCTAssertEqual(freePages(), before, "every page back, the shared_info page too")
        XCTAssertTrue(fixture.fake.badFrees.isEmpty)
    }

    /// Freeing an owner's memory while dom0 maps some of it (without the
    /// destroy path that unmaps first): the mapped frames stay until dom0
    /// lets go, as Xen keeps a page until its last reference goes.
    func testReleasingAMappedFrameDefersItsFree() throws {
        let free = fixture.fake.freeFrames
        let mapped = try XCTUnwrap(guest.memory.hostFrame(of: 1))
        let guestFrames = guest.memory.frameCount + guest.memory.nestedPageTable.tableFrameCount
        XCTAssertEqual(map([1], at: [window]), [0])
        guest.memory.release()
        XCTAssertTrue(fixture.fake.isAllocated(mapped), "dom0 still shows it")
        XCTAssertEqual(dom0Sees(window), mapped)
        XCTAssertEqual(fixture.hypervisor.frames.framesAwaitingRelease, 1)
        XCTAssertEqual(fixture.fake.freeFrames, free + guestFrames - 1)
        XCTAssertEqual(fixture.removeFromPhysmap(dom0, gpfn: window), ReturnValue.ok)
        XCTAssertFalse(fixture.fake.isAllocated(mapped))
        XCTAssertEqual(fixture.hypervisor.frames.framesAwaitingRelease, 0)
        XCTAssertEqual(fixture.fake.freeFrames, free + guestFrames)
        XCTAssertTrue(fixture.fake.badFrees.isEmpty)
    }
}
