import XCTest
import XenPublic
@testable import KernelCore

/// XENMEM_add_to_physmap_batch (XENMAPSPACE_gmfn_foreign) and
/// XENMEM_remove_from_physmap: dom0 shows a new domain's frames in its own
/// physical address space, above its RAM, to write the image.
final class ForeignMappingHypercallTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var guest: Domain!
    /// Guest frames of dom0 above its 1 MiB of RAM (same page table as the RAM,
    /// so mapping there allocates no table frames).
    private let window: UInt64 = 0x180

    override func setUp() {
        fixture = HypervisorFixture(spareFrames: 64)
        fixture.enterLongMode()
        guest = fixture.createDomain("image")
        XCTAssertEqual(fixture.setMaxMem(guest.id, kilobytes: 16), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(guest.id, frames: [0, 1, 2, 3]), 4)
    }

    override func tearDown() {
        for domain in fixture.hypervisor.domains where domain.id > 1 { domain.memory.release() }
        fixture.release()
    }

    private var dom0: Domain { fixture.dom0 }

    private func map(_ indices: [UInt64], at guestFrames: [UInt64], foreign: UInt16? = nil) -> (UInt64, [Int32]) {
        fixture.addToPhysmapBatch(dom0, foreign: foreign ?? guest.id, indices: indices, guestFrames: guestFrames)
    }

    private func translate(_ guestFrame: UInt64) -> UInt64? {
        dom0.memory.nestedPageTable.translate(guestFrame * 4096)
    }

    private func host(_ frame: UInt64) -> UInt64? { guest.memory.hostFrame(of: frame) }

    func testMapsTheForeignFramesAtTheGivenGuestFrames() {
        let tableFrames = dom0.memory.nestedPageTable.tableFrameCount
        let (result, errors) = map([2, 0, 3], at: [window, window + 1, window + 7])
        XCTAssertEqual(result, ReturnValue.ok)
        XCTAssertEqual(errors, [0, 0, 0])
        XCTAssertEqual(translate(window), host(2))
        XCTAssertEqual(translate(window + 1), host(0))
        XCTAssertEqual(translate(window + 7), host(3))
        XCTAssertNil(translate(window + 2))
        XCTAssertEqual(dom0.memory.foreignMappings.map(\.guestFrame), [window, window + 1, window + 7])
        XCTAssertEqual(dom0.memory.foreignMappings.first,
                       DomainMemory.ForeignMapping(guestFrame: window, owner: guest.id, ownerFrame: 2, hostFrame: host(2)!))
        XCTAssertEqual(dom0.memory.nestedPageTable.tableFrameCount, tableFrames)
        XCTAssertEqual(dom0.memory.frameCount, 256, "foreign frames are not dom0's RAM")
        XCTAssertEqual(fixture.backend.translationFlushes, 1, "a replaced mapping may be cached: dom0's vCPU flushed")
    }

    func testWhatDom0WritesThroughTheMappingLandsInTheGuest() {
        XCTAssertEqual(map([1], at: [window]).1, [0])
        let bytes: [UInt8] = [0xDE, 0xAD, 0xBE, 0xEF]
        let host = translate(window)! + 0x10
        fixture.fake.physicalMemory.pointer(host).copyMemory(from: bytes, byteCount: 4)
        XCTAssertEqual(guest.memory.bytes(at: 0x1010, count: 4), bytes)
    }

    func testForeignMappingsAreNotExecutableForDom0() throws {
        XCTAssertEqual(map([1], at: [window]).1, [0])
        let ram = try XCTUnwrap(dom0.memory.hostFrame(of: 0x10))
        let format = dom0.memory.nestedPageTable.format
        let leafRAM = leafEntry(0x10)
        let leafForeign = leafEntry(window)
        XCTAssertEqual(leafRAM, format.pageEntry(address: ram, writable: true, executable: true))
        XCTAssertEqual(leafForeign, format.pageEntry(address: host(1)!, writable: true, executable: false))
    }

    /// The leaf entry of dom0's nested table for `guestFrame`.
    private func leafEntry(_ guestFrame: UInt64) -> UInt64 {
        let table = dom0.memory.nestedPageTable
        var address = table.root
        for level in stride(from: 3, to: 0, by: -1) {
            let entry = fixture.fake.load64(address + NestedPageTable.index(guestFrame * 4096, level: level) * 8)
            address = table.format.address(of: entry)
        }
        return fixture.fake.load64(address + NestedPageTable.index(guestFrame * 4096, level: 0) * 8)
    }

    func testErrorsArePerFrame() {
        let (result, errors) = map([0, 9, 1, 2], at: [window, window + 1, 0x10, window + 3])
        XCTAssertEqual(result, ReturnValue.ok)
        XCTAssertEqual(errors, [0, -22, -22, 0], "unpopulated foreign frame; inside dom0's RAM")
        XCTAssertEqual(translate(window), host(0))
        XCTAssertNil(translate(window + 1))
        XCTAssertEqual(translate(0x10), dom0.memory.hostFrame(of: 0x10), "dom0's RAM is left alone")
        XCTAssertEqual(translate(window + 3), host(2))
        XCTAssertEqual(dom0.memory.foreignMappings.count, 2)
    }

    func testAGuestFrameBeyondFourGiBIsEINVAL() {
        XCTAssertEqual(map([0, 1], at: [1 << 20, window]).1, [-22, 0])
    }

    func testAllFailedAsksForNoFlush() {
        XCTAssertEqual(map([9], at: [window]).1, [-22])
        XCTAssertEqual(fixture.backend.translationFlushes, 0)
    }

    func testMappingOverAForeignMappingReplacesIt() throws {
        XCTAssertEqual(map([0], at: [window]).1, [0])
        XCTAssertEqual(map([3], at: [window]).1, [0])
        XCTAssertEqual(translate(window), host(3))
        XCTAssertEqual(dom0.memory.foreignMappings,
                       [DomainMemory.ForeignMapping(guestFrame: window, owner: guest.id, ownerFrame: 3, hostFrame: host(3)!)])
        let other = try XCTUnwrap(fixture.createDomain("other"))
        XCTAssertEqual(fixture.setMaxMem(other.id, kilobytes: 4), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(other.id, frames: [5]), 1)
        XCTAssertEqual(map([5], at: [window], foreign: other.id).1, [0])
        XCTAssertEqual(translate(window), other.memory.hostFrame(of: 5))
        XCTAssertEqual(dom0.memory.foreignMappings.map(\.owner), [other.id])
    }

    func testMoreThan512IsEINVAL() {
        let (result, errors) = fixture.addToPhysmapBatch(dom0, foreign: guest.id, indices: [0], guestFrames: [window],
                                                         size: 513)
        XCTAssertEqual(result, ReturnValue.EINVAL)
        XCTAssertEqual(errors, [0x5555_5555], "errs untouched")
        XCTAssertTrue(dom0.memory.foreignMappings.isEmpty)
    }

    func testExactly512IsAccepted() {
        let indices = [UInt64](repeating: 9, count: 512)     // unpopulated: each fails, none maps
        let (result, errors) = map(indices, at: (0..<512).map { window + UInt64($0) })
        XCTAssertEqual(result, ReturnValue.ok)
        XCTAssertEqual(errors, [Int32](repeating: -22, count: 512))
    }

    func testOtherSpacesAreENOSYS() {
        for space: UInt16 in [UInt16(XENMAPSPACE_shared_info), 1, 2, 3, 5] {
            let (result, errors) = fixture.addToPhysmapBatch(dom0, foreign: guest.id, indices: [0], guestFrames: [window],
                                                             space: space)
            XCTAssertEqual(result, ReturnValue.ENOSYS, "space \(space)")
            XCTAssertEqual(errors, [0x5555_5555])
        }
        XCTAssertNil(translate(window))
    }

    func testUnprivilegedIsEPERM() {
        let (result, errors) = fixture.addToPhysmapBatch(fixture.domU, foreign: guest.id, indices: [0],
                                                         guestFrames: [window])
        XCTAssertEqual(result, ReturnValue.EPERM)
        XCTAssertEqual(errors, [0x5555_5555])
        XCTAssertTrue(fixture.domU.memory.foreignMappings.isEmpty)
        XCTAssertNil(fixture.domU.memory.nestedPageTable.translate(window * 4096))
    }

    func testForeignDomainIsSelfIsEINVAL() {
        for foreign in [HypervisorFixture.domidSelf, 0] {
            XCTAssertEqual(map([0x10], at: [window], foreign: foreign).0, ReturnValue.EINVAL)
        }
        XCTAssertNil(translate(window))
    }

    func testMissingForeignDomainIsESRCH() {
        XCTAssertEqual(map([0], at: [window], foreign: 99).0, ReturnValue.ESRCH)
    }

    func testOnlyTheCallersOwnPhysmap() {
        let (result, _) = fixture.addToPhysmapBatch(dom0, foreign: guest.id, indices: [0], guestFrames: [window],
                                                    domid: 1)
        XCTAssertEqual(result, ReturnValue.EINVAL)
        XCTAssertTrue(fixture.domU.memory.foreignMappings.isEmpty)
        let (own, errors) = fixture.addToPhysmapBatch(dom0, foreign: guest.id, indices: [0], guestFrames: [window],
                                                      domid: 0)
        XCTAssertEqual(own, ReturnValue.ok, "its own id is the same as DOMID_SELF")
        XCTAssertEqual(errors, [0])
    }

    func testThirtyTwoBitCallerIsENOSYS() {
        fixture.backend.state.efer = 0
        XCTAssertEqual(map([0], at: [window]).0, ReturnValue.ENOSYS)
        XCTAssertNil(translate(window))
    }

    func testBadListPointersAreEFAULT() {
        let (result, _) = fixture.addToPhysmapBatch(dom0, foreign: guest.id, indices: [0], guestFrames: [window],
                                                    indexList: GuestBuffer.outside)
        XCTAssertEqual(result, ReturnValue.EFAULT)
        XCTAssertNil(translate(window))
        XCTAssertEqual(fixture.call(dom0, __HYPERVISOR_memory_op, UInt64(XENMEM_add_to_physmap_batch), GuestBuffer.outside),
                       ReturnValue.EFAULT)
    }

    // MARK: - remove_from_physmap

    func testRemoveFromPhysmap() {
        XCTAssertEqual(map([0, 1], at: [window, window + 1]).1, [0, 0])
        var flushes = fixture.backend.translationFlushes
        XCTAssertEqual(fixture.removeFromPhysmap(dom0, gpfn: window), ReturnValue.ok)
        XCTAssertNil(translate(window))
        XCTAssertEqual(translate(window + 1), host(1))
        XCTAssertEqual(dom0.memory.foreignMappings.map(\.guestFrame), [window + 1])
        XCTAssertEqual(fixture.backend.translationFlushes, flushes + 1)
        XCTAssertNotNil(host(0), "the frame stays the guest's")
        XCTAssertTrue(fixture.fake.isAllocated(host(0)!))
        flushes = fixture.backend.translationFlushes
        XCTAssertEqual(fixture.removeFromPhysmap(dom0, gpfn: window), ReturnValue.EINVAL, "nothing there any more")
        XCTAssertEqual(fixture.backend.translationFlushes, flushes)
    }

    func testRemoveFromPhysmapLeavesRAMAlone() {
        XCTAssertEqual(fixture.removeFromPhysmap(dom0, gpfn: 0x10), ReturnValue.EINVAL)
        XCTAssertEqual(translate(0x10), dom0.memory.hostFrame(of: 0x10))
        XCTAssertEqual(fixture.removeFromPhysmap(dom0, gpfn: window + 50), ReturnValue.EINVAL)
    }

    func testRemoveFromAnotherDomainsPhysmapNeedsPrivilege() {
        XCTAssertEqual(map([0], at: [window]).1, [0])
        XCTAssertEqual(fixture.removeFromPhysmap(fixture.domU, gpfn: window, domid: 0), ReturnValue.EPERM)
        XCTAssertEqual(translate(window), host(0))
    }

    // MARK: - the guest's side

    func testDecreaseReservationStopsAtAFrameDom0Maps() throws {
        XCTAssertEqual(map([1], at: [window]).1, [0])
        let mapped = try XCTUnwrap(host(1))
        XCTAssertEqual(fixture.reservation(dom0, XENMEM_decrease_reservation, domid: guest.id, frames: [0, 1, 2]), 1)
        XCTAssertNil(host(0))
        XCTAssertEqual(host(1), mapped, "dom0 must never keep a frame that went back to the allocator")
        XCTAssertEqual(host(2).map { fixture.fake.isAllocated($0) }, true, "nothing after the refused one")
        XCTAssertTrue(fixture.fake.isAllocated(mapped))
        XCTAssertEqual(translate(window), mapped)
        // Unmapped, it can go.
        XCTAssertEqual(fixture.removeFromPhysmap(dom0, gpfn: window), ReturnValue.ok)
        XCTAssertEqual(fixture.reservation(dom0, XENMEM_decrease_reservation, domid: guest.id, frames: [1, 2]), 2)
        XCTAssertFalse(fixture.fake.isAllocated(mapped))
        XCTAssertEqual(guest.memory.frameCount, 1)
    }

    func testAMappingOfAnotherFrameDoesNotStopTheDecrease() throws {
        XCTAssertEqual(map([3], at: [window]).1, [0])
        let other = try XCTUnwrap(fixture.createDomain("other"))
        XCTAssertEqual(fixture.setMaxMem(other.id, kilobytes: 4), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(other.id, frames: [1]), 1)
        XCTAssertEqual(map([1], at: [window + 1], foreign: other.id).1, [0], "the same frame number, another owner")
        XCTAssertEqual(fixture.reservation(dom0, XENMEM_decrease_reservation, domid: guest.id, frames: [0, 1, 2]), 3)
        XCTAssertEqual(translate(window), host(3))
    }
}
