import XCTest
import XenPublic
@testable import KernelCore

/// grant_table_op (version 1) and XENMAPSPACE_grant_table: a granter (a
/// domain dom0 built) lets a mapper (another one) map, unmap and copy its
/// pages; every check gives Xen's status, and frames survive exactly as
/// long as something maps them.
final class GrantTableOpHypercallTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var granter: Domain!
    private var mapper: Domain!
    /// The granter's RAM: guest frames 0 to 63, like the mapper's.
    private let grantedFrame: UInt32 = 5
    /// Guest-physical addresses above the mapper's 64 frames of RAM.
    private let window: UInt64 = 0x100 * 4096
    private var freeBefore = 0

    override func setUp() {
        fixture = HypervisorFixture(spareFrames: 160)
        fixture.enterLongMode()
        freeBefore = fixture.fake.freeFrames
        granter = fixture.createDomain("granter")
        XCTAssertEqual(fixture.setMaxMem(granter.id, kilobytes: 256), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(granter.id, frames: Array(0..<64)), 64)
        mapper = fixture.createDomain("mapper")
        XCTAssertEqual(fixture.setMaxMem(mapper.id, kilobytes: 256), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(mapper.id, frames: Array(0..<64)), 64)
        for domain in [granter!, mapper!] {
            XCTAssertEqual(fixture.setStartContext(domain.id, StartContext.make(entry: 0x1000)), ReturnValue.ok,
                           "a vCPU to make hypercalls from")
        }
    }

    override func tearDown() {
        for domain in fixture.hypervisor.domains where domain.id > 1 { fixture.hypervisor.destroy(domain) }
        fixture.release()
    }

    private func destroy(_ domain: Domain) {
        XCTAssertEqual(fixture.domctl(fixture.dom0, DomctlRecord.make(XEN_DOMCTL_destroydomain, domain: domain.id)),
                       ReturnValue.ok)
    }

    private func grant(_ reference: UInt32 = 8, flags: UInt32 = UInt32(GTF_permit_access), to domid: UInt16? = nil,
                       frame: UInt32? = nil) {
        fixture.writeGrant(granter, reference, flags: flags, domid: domid ?? mapper.id, frame: frame ?? grantedFrame)
    }

    private func map(_ reference: UInt32 = 8, at address: UInt64? = nil, flags: UInt32 = UInt32(GNTMAP_host_map),
                     of granterID: UInt16? = nil) -> gnttab_map_grant_ref {
        let (result, after) = fixture.mapGrant(mapper, reference: reference, of: granterID ?? granter.id,
                                               at: address ?? window, flags: flags)
        XCTAssertEqual(result, ReturnValue.ok, "per-op failures are in status; the call returns 0")
        return after
    }

    private var grantedHostFrame: UInt64 { granter.memory.hostFrame(of: UInt64(grantedFrame))! }
    private func mapperSees(_ address: UInt64) -> UInt64? { mapper.memory.nestedPageTable.translate(address) }

    // MARK: - Table size and frames

    func testQuerySizeCountsTheFramesTheGuestMapped() {
        var query = gnttab_query_size(dom: UInt16(DOMID_SELF), nr_frames: 9, max_nr_frames: 9, status: 9)
        XCTAssertEqual(fixture.grantTableOp(granter, GNTTABOP_query_size, [query]).1[0].nr_frames, 0)
        fixture.dom0.memory.put(query, at: 0)
        XCTAssertEqual(fixture.addToPhysmap(granter, domid: UInt16(DOMID_SELF), gpfn: 0x40,
                                            space: UInt32(XENMAPSPACE_grant_table), index: 3), ReturnValue.ok)
        let after = fixture.grantTableOp(granter, GNTTABOP_query_size, [query]).1[0]
        XCTAssertEqual(after.nr_frames, 4, "mapping frame 3 grows the table to 4 frames, as in Xen")
        XCTAssertEqual(after.max_nr_frames, 32)
        XCTAssertEqual(after.status, Int16(GNTST_okay))
        query.dom = 77
        XCTAssertEqual(fixture.grantTableOp(granter, GNTTABOP_query_size, [query]).1[0].status, Int16(GNTST_bad_domain))
        query.dom = mapper.id
        XCTAssertEqual(fixture.grantTableOp(granter, GNTTABOP_query_size, [query]).1[0].status,
                       Int16(GNTST_permission_denied), "another domain's table: privileged callers only")
        XCTAssertEqual(fixture.grantTableOp(fixture.dom0, GNTTABOP_query_size, [query]).1[0].status, Int16(GNTST_okay))
    }

    func testAddToPhysmapShowsTheGrantFrameInPlaceOfRAM() {
        let ram = granter.memory.frameCount
        XCTAssertEqual(fixture.addToPhysmap(granter, domid: UInt16(DOMID_SELF), gpfn: 2,
                                            space: UInt32(XENMAPSPACE_grant_table), index: 0), ReturnValue.ok)
        let frame = granter.grantTable.hostFrames[0]
        XCTAssertEqual(granter.memory.nestedPageTable.translate(2 * 4096), frame)
        XCTAssertEqual(granter.memory.frameCount, ram - 1, "the RAM at that frame is given up")
        XCTAssertEqual(fixture.addToPhysmap(granter, domid: UInt16(DOMID_SELF), gpfn: 0x40,
                                            space: UInt32(XENMAPSPACE_grant_table), index: 0), ReturnValue.ok)
        XCTAssertNil(granter.memory.nestedPageTable.translate(2 * 4096), "asking again moves the frame")
        XCTAssertEqual(granter.memory.nestedPageTable.translate(0x40 * 4096), frame)
        XCTAssertEqual(granter.grantTable.guestFrames[0], 0x40)
        XCTAssertEqual(fixture.addToPhysmap(granter, domid: UInt16(DOMID_SELF), gpfn: 0x41,
                                            space: UInt32(XENMAPSPACE_grant_table), index: 32), ReturnValue.EINVAL)
        XCTAssertEqual(fixture.addToPhysmap(granter, domid: UInt16(DOMID_SELF), gpfn: 0x41,
                                            space: UInt32(XENMAPSPACE_grant_table),
                                            index: UInt64(XENMAPIDX_grant_table_status)), ReturnValue.EINVAL)
        XCTAssertEqual(granter.grantTable.frameCount, 1)
        XCTAssertEqual(fixture.addToPhysmap(granter, domid: UInt16(DOMID_SELF), gpfn: 0x107FFF,
                                            space: UInt32(XENMAPSPACE_grant_table), index: 1), ReturnValue.ok,
                       "past 4 GiB, where Linux puts its grant frames")
        XCTAssertEqual(granter.memory.nestedPageTable.translate(0x107FFF * 4096), granter.grantTable.hostFrames[1])
        XCTAssertEqual(fixture.addToPhysmap(granter, domid: UInt16(DOMID_SELF), gpfn: UInt64(DomainMemory.mappingFrameLimit),
                                            space: UInt32(XENMAPSPACE_grant_table), index: 1), ReturnValue.EINVAL)
    }

    func testSetupTableGrowsAndListsWhereTheFramesAre() {
        XCTAssertEqual(fixture.addToPhysmap(granter, domid: UInt16(DOMID_SELF), gpfn: 0x40,
                                            space: UInt32(XENMAPSPACE_grant_table), index: 1), ReturnValue.ok)
        let list = GuestBuffer.extents
        var setup = gnttab_setup_table(dom: UInt16(DOMID_SELF), nr_frames: 3, status: 9, frame_list: list)
        XCTAssertEqual(fixture.grantTableOp(granter, GNTTABOP_setup_table, [setup]).1[0].status, Int16(GNTST_okay))
        XCTAssertEqual(granter.grantTable.frameCount, 3)
        XCTAssertEqual((0..<3).map { granter.memory.load(UInt64.self, at: list + $0 * 8) }, [~0, 0x40, ~0])
        setup.nr_frames = 33
        XCTAssertEqual(fixture.grantTableOp(granter, GNTTABOP_setup_table, [setup]).1[0].status,
                       Int16(GNTST_general_error))
        XCTAssertEqual(fixture.grantTableOp(granter, GNTTABOP_setup_table, [setup, setup]).0, ReturnValue.EINVAL)
    }

    func testVersionOneOnly() {
        let (ok, after) = fixture.grantTableOp(granter, GNTTABOP_set_version, [gnttab_set_version(version: 1)])
        XCTAssertEqual(ok, ReturnValue.ok)
        XCTAssertEqual(after[0].version, 1)
        let (two, afterTwo) = fixture.grantTableOp(granter, GNTTABOP_set_version, [gnttab_set_version(version: 2)])
        XCTAssertEqual(two, ReturnValue.ENOSYS)
        XCTAssertEqual(afterTwo[0].version, 1, "the version in use is written back")
        XCTAssertEqual(fixture.grantTableOp(granter, GNTTABOP_set_version, [gnttab_set_version(version: 3)]).0,
                       ReturnValue.EINVAL)
        let get = gnttab_get_version(dom: UInt16(DOMID_SELF), pad: 0, version: 0)
        XCTAssertEqual(fixture.grantTableOp(granter, GNTTABOP_get_version, [get]).1[0].version, 1)
        XCTAssertEqual(fixture.grantTableOp(granter, GNTTABOP_get_version,
                                            [gnttab_get_version(dom: mapper.id, pad: 0, version: 0)]).0,
                       ReturnValue.EPERM)
        XCTAssertEqual(fixture.grantTableOp(granter, GNTTABOP_transfer, [get]).0, ReturnValue.ENOSYS)
    }

    // MARK: - Map and unmap

    func testMapShowsTheGrantedFrameAndMarksTheEntry() {
        grant()
        let result = map()
        XCTAssertEqual(result.status, Int16(GNTST_okay))
        XCTAssertEqual(result.handle, 0)
        XCTAssertEqual(result.dev_bus_addr, 0, "no host address leaks to the guest")
        XCTAssertEqual(mapperSees(window), grantedHostFrame)
        XCTAssertEqual(fixture.grantFlags(granter, 8),
                       UInt16(GTF_permit_access) | UInt16(GTF_reading) | UInt16(GTF_writing))
        XCTAssertEqual(fixture.hypervisor.frames.referenceCount(grantedHostFrame), 1)
        let bytes: [UInt8] = [1, 2, 3, 4]
        fixture.fake.physicalMemory.pointer(mapperSees(window)! + 0x20).copyMemory(from: bytes, byteCount: 4)
        XCTAssertEqual(granter.memory.bytes(at: UInt64(grantedFrame) * 4096 + 0x20, count: 4), bytes)
        XCTAssertEqual(mapper.memory.frameCount, 64, "a grant mapping is not the mapper's RAM")
        XCTAssertEqual(map(at: 0x10_0000_0000).status, Int16(GNTST_okay), "at 64 GiB, in unpopulated space")
        XCTAssertEqual(mapperSees(0x10_0000_0000), grantedHostFrame)
    }

    func testReadOnlyGrantsAndMappings() {
        grant(flags: UInt32(GTF_permit_access) | UInt32(GTF_readonly))
        XCTAssertEqual(map().status, Int16(GNTST_general_error), "a writable map of a read-only grant (Xen: general_error)")
        XCTAssertNil(mapperSees(window))
        let readOnly = map(flags: UInt32(GNTMAP_host_map) | UInt32(GNTMAP_readonly))
        XCTAssertEqual(readOnly.status, Int16(GNTST_okay))
        XCTAssertEqual(fixture.grantFlags(granter, 8),
                       UInt16(GTF_permit_access) | UInt16(GTF_readonly) | UInt16(GTF_reading))
        let format = mapper.memory.nestedPageTable.format
        XCTAssertEqual(mapper.memory.foreignMapping(at: window / 4096)?.writable, false)
        XCTAssertFalse(format.pageEntry(address: grantedHostFrame, writable: false, executable: false) & 2 != 0)
    }

    func testEntryChecksGiveXensStatus() {
        grant(8, flags: UInt32(GTF_invalid))
        grant(9, to: fixture.dom0.id)
        grant(10, flags: UInt32(GTF_accept_transfer))
        grant(11, frame: 0x80)                               // not the granter's RAM
        grant(12)
        XCTAssertEqual(map(8).status, Int16(GNTST_general_error), "not a grant")
        XCTAssertEqual(map(9).status, Int16(GNTST_general_error), "granted to another domain")
        XCTAssertEqual(map(10).status, Int16(GNTST_general_error), "a transfer grant")
        XCTAssertEqual(map(11).status, Int16(GNTST_bad_page))
        XCTAssertEqual(map(512).status, Int16(GNTST_bad_gntref), "beyond the table's one frame")
        XCTAssertEqual(map(12, flags: 0).status, Int16(GNTST_bad_gntref), "no mapping asked for")
        XCTAssertEqual(map(12, flags: UInt32(GNTMAP_host_map) | UInt32(GNTMAP_device_map)).status,
                       Int16(GNTST_general_error), "no device mappings for PVH")
        XCTAssertEqual(map(12, of: 77).status, Int16(GNTST_bad_domain))
        XCTAssertEqual(map(12, of: UInt16(DOMID_SELF)).status, Int16(GNTST_bad_domain), "by id only, as Xen")
        XCTAssertEqual(map(12, at: 3 * 4096).status, Int16(GNTST_general_error), "over the mapper's RAM")
        XCTAssertEqual(mapper.grantMappings.count, 0)
        XCTAssertTrue(granter.grantTable.activeGrants.isEmpty)
        XCTAssertEqual(fixture.grantFlags(granter, 12), UInt16(GTF_permit_access), "failures leave no flags")
        XCTAssertEqual(fixture.hypervisor.frames.referenceCount(grantedHostFrame), 0)
    }

    func testUnmapChecksTheHandleAndTheAddress() {
        grant()
        let handle = map().handle
        XCTAssertEqual(fixture.unmapGrant(mapper, handle: handle + 1, at: window), Int16(GNTST_bad_handle))
        XCTAssertEqual(fixture.unmapGrant(mapper, handle: handle, at: window + 4096), Int16(GNTST_general_error))
        XCTAssertEqual(fixture.unmapGrant(mapper, handle: handle, at: window), Int16(GNTST_okay))
        XCTAssertNil(mapperSees(window))
        XCTAssertEqual(fixture.grantFlags(granter, 8), UInt16(GTF_permit_access))
        XCTAssertEqual(fixture.hypervisor.frames.referenceCount(grantedHostFrame), 0)
        XCTAssertEqual(fixture.unmapGrant(mapper, handle: handle, at: window), Int16(GNTST_bad_handle))
        XCTAssertGreaterThan(fixture.backend.translationFlushes, 0, "the mapper's vCPU forgets the mapping")
    }

    func testReadingAndWritingFollowTheLastMappings() {
        grant()
        let writable = map(at: window).handle
        let readOnly = map(at: window + 4096, flags: UInt32(GNTMAP_host_map) | UInt32(GNTMAP_readonly)).handle
        XCTAssertEqual(fixture.hypervisor.frames.referenceCount(grantedHostFrame), 2)
        XCTAssertEqual(fixture.unmapGrant(mapper, handle: writable, at: window), Int16(GNTST_okay))
        XCTAssertEqual(fixture.grantFlags(granter, 8), UInt16(GTF_permit_access) | UInt16(GTF_reading),
                       "the last writable mapping went: GTF_writing clears, GTF_reading stays")
        XCTAssertEqual(fixture.unmapGrant(mapper, handle: readOnly, at: window + 4096), Int16(GNTST_okay))
        XCTAssertEqual(fixture.grantFlags(granter, 8), UInt16(GTF_permit_access))
    }

    func testAnActiveEntryIsJudgedByWhatItSaidWhenMapped() {
        grant()
        XCTAssertEqual(map(at: window).status, Int16(GNTST_okay))
        grant(to: fixture.dom0.id, frame: 6)                  // the guest rewrites the entry meanwhile
        let second = map(at: window + 4096)
        XCTAssertEqual(second.status, Int16(GNTST_okay), "pinned: the active entry decides, as in Xen")
        XCTAssertEqual(mapperSees(window + 4096), grantedHostFrame)
        let (_, byDom0) = fixture.mapGrant(fixture.dom0, reference: 8, of: granter.id, at: 0x200 * 4096)
        XCTAssertEqual(byDom0.status, Int16(GNTST_general_error), "in use by another domain")
    }

    func testGrantMappingsAreNotTakenByOtherPaths() {
        grant()
        XCTAssertEqual(map().status, Int16(GNTST_okay))
        XCTAssertEqual(fixture.removeFromPhysmap(mapper, gpfn: window / 4096), ReturnValue.EINVAL)
        XCTAssertEqual(fixture.addToPhysmap(mapper, domid: UInt16(DOMID_SELF), gpfn: window / 4096), ReturnValue.EINVAL,
                       "shared_info cannot replace a grant mapping")
        XCTAssertEqual(mapperSees(window), grantedHostFrame)
        XCTAssertEqual(fixture.reservation(granter, XENMEM_decrease_reservation, domid: UInt16(DOMID_SELF),
                                           frames: [UInt64(grantedFrame)]), 0, "a mapped frame is not given back")
        XCTAssertEqual(granter.memory.hostFrame(of: UInt64(grantedFrame)), grantedHostFrame)
    }

    func testTheMaptrackIsBounded() {
        grant()
        let batch = Array(repeating: gnttab_map_grant_ref(host_addr: 0, flags: UInt32(GNTMAP_host_map), ref: 8,
                                                          dom: granter.id, status: 9, handle: 0, dev_bus_addr: 0),
                          count: 512)
        for half in 0..<2 {
            var operations = batch
            for index in operations.indices { operations[index].host_addr = window + UInt64(half * 512 + index) * 4096 }
            let (result, after) = fixture.grantTableOp(mapper, GNTTABOP_map_grant_ref, operations, at: 0x10000)
            XCTAssertEqual(result, ReturnValue.ok)
            XCTAssertEqual(Set(after.map(\.status)), [Int16(GNTST_okay)])
        }
        XCTAssertEqual(mapper.grantMappings.count, MaptrackTable.maximumMappings)
        XCTAssertEqual(map(at: window + 2048 * 4096).status, Int16(GNTST_no_device_space))
        XCTAssertEqual(fixture.grantTableOp(mapper, GNTTABOP_map_grant_ref, batch, at: 0x10000, count: 513).0,
                       ReturnValue.EINVAL, "batches are bounded")
        XCTAssertEqual(granter.grantTable.activeGrant(8)?.mappings, 1024)
    }

    // MARK: - Copy

    func testCopyBetweenAGrantAndTheCallersFrame() {
        grant()
        grant(9, flags: UInt32(GTF_permit_access) | UInt32(GTF_readonly))
        let message: [UInt8] = Array("granted".utf8)
        XCTAssertTrue(granter.memory.write(message, at: UInt64(grantedFrame) * 4096 + 100))
        let source = gnttab_copy_ptr.reference(8, of: granter.id, offset: 100)
        let status = fixture.copyGrant(mapper, source: source, dest: .frame(3, offset: 7),
                                       length: UInt16(message.count), flags: UInt32(GNTCOPY_source_gref))
        XCTAssertEqual(status, Int16(GNTST_okay))
        XCTAssertEqual(mapper.memory.bytes(at: 3 * 4096 + 7, count: message.count), message)
        XCTAssertEqual(fixture.grantFlags(granter, 8), UInt16(GTF_permit_access), "a copy leaves no flags")

        let into = fixture.copyGrant(mapper, source: .frame(3), dest: .reference(8, of: granter.id, offset: 200),
                                     length: 16, flags: UInt32(GNTCOPY_dest_gref))
        XCTAssertEqual(into, Int16(GNTST_okay))
        XCTAssertEqual(fixture.copyGrant(mapper, source: .frame(3), dest: .reference(9, of: granter.id),
                                         length: 16, flags: UInt32(GNTCOPY_dest_gref)),
                       Int16(GNTST_general_error), "into a read-only grant")
        XCTAssertEqual(fixture.copyGrant(mapper, source: .reference(9, of: granter.id), dest: .frame(3),
                                         length: 16, flags: UInt32(GNTCOPY_source_gref)),
                       Int16(GNTST_okay), "out of a read-only grant")
    }

    func testCopyChecksGiveXensStatus() {
        grant()
        let source = gnttab_copy_ptr.reference(8, of: granter.id)
        let sourceFlag = UInt32(GNTCOPY_source_gref)
        XCTAssertEqual(fixture.copyGrant(mapper, source: .reference(8, of: granter.id, offset: 4000),
                                         dest: .frame(3), length: 97, flags: sourceFlag), Int16(GNTST_bad_copy_arg))
        XCTAssertEqual(fixture.copyGrant(mapper, source: source, dest: .frame(3, offset: 4096), length: 1,
                                         flags: sourceFlag), Int16(GNTST_bad_copy_arg))
        XCTAssertEqual(fixture.copyGrant(mapper, source: source, dest: .frame(3, offset: 96), length: 4000,
                                         flags: sourceFlag), Int16(GNTST_okay), "exactly to the page's end")
        XCTAssertEqual(fixture.copyGrant(mapper, source: .frame(1, of: granter.id), dest: .frame(3), length: 4,
                                         flags: 0), Int16(GNTST_permission_denied), "another domain's frame")
        XCTAssertEqual(fixture.copyGrant(mapper, source: .frame(1, of: mapper.id), dest: .frame(3), length: 4,
                                         flags: 0), Int16(GNTST_okay), "its own id is itself")
        XCTAssertEqual(fixture.copyGrant(mapper, source: .reference(8, of: 77), dest: .frame(3), length: 4,
                                         flags: sourceFlag), Int16(GNTST_bad_domain))
        XCTAssertEqual(fixture.copyGrant(mapper, source: .reference(600, of: granter.id), dest: .frame(3), length: 4,
                                         flags: sourceFlag), Int16(GNTST_bad_gntref))
        XCTAssertEqual(fixture.copyGrant(mapper, source: source, dest: .frame(0x80), length: 4, flags: sourceFlag),
                       Int16(GNTST_bad_page), "not the caller's RAM")
        XCTAssertEqual(fixture.copyGrant(fixture.dom0, source: source, dest: .frame(3), length: 4, flags: sourceFlag),
                       Int16(GNTST_general_error), "granted to another domain")
    }

    // MARK: - Lifetimes

    func testAGrantedFrameOutlivesItsDestroyedGranterUntilUnmapped() {
        grant()
        let handle = map().handle
        let host = grantedHostFrame
        destroy(granter)
        XCTAssertEqual(mapperSees(window), host, "the mapper keeps its mapping, as in Xen")
        XCTAssertEqual(fixture.hypervisor.frames.framesAwaitingRelease, 1)
        XCTAssertEqual(fixture.unmapGrant(mapper, handle: handle, at: window), Int16(GNTST_okay))
        XCTAssertEqual(fixture.hypervisor.frames.framesAwaitingRelease, 0)
        destroy(mapper)
        XCTAssertEqual(fixture.fake.freeFrames, freeBefore, "every frame is back")
        XCTAssertTrue(fixture.fake.badFrees.isEmpty)
    }

    func testDestroyingTheMapperEndsItsMappings() {
        grant()
        XCTAssertEqual(map(at: window).status, Int16(GNTST_okay))
        XCTAssertEqual(map(at: window + 4096, flags: UInt32(GNTMAP_host_map) | UInt32(GNTMAP_readonly)).status,
                       Int16(GNTST_okay))
        XCTAssertEqual(fixture.addToPhysmap(granter, domid: UInt16(DOMID_SELF), gpfn: 0x40,
                                            space: UInt32(XENMAPSPACE_grant_table), index: 0), ReturnValue.ok)
        destroy(mapper)
        XCTAssertEqual(fixture.grantFlags(granter, 8), UInt16(GTF_permit_access))
        XCTAssertTrue(granter.grantTable.activeGrants.isEmpty)
        XCTAssertEqual(fixture.hypervisor.frames.referenceCount(grantedHostFrame), 0)
        XCTAssertEqual(fixture.reservation(granter, XENMEM_decrease_reservation, domid: UInt16(DOMID_SELF),
                                           frames: [UInt64(grantedFrame)]), 1, "no longer mapped: it may go")
        destroy(granter)
        XCTAssertEqual(fixture.fake.freeFrames, freeBefore, "RAM, tables and grant frames all back")
        XCTAssertTrue(fixture.fake.badFrees.isEmpty)
    }

    func testMappingItsOwnGrantAndDestroying() {
        fixture.writeGrant(granter, 8, flags: UInt32(GTF_permit_access), domid: granter.id, frame: grantedFrame)
        let request = gnttab_map_grant_ref(host_addr: 0x40 * 4096, flags: UInt32(GNTMAP_host_map), ref: 8,
                                           dom: granter.id, status: 9, handle: 9, dev_bus_addr: 0)
        granter.memory.put(request, at: 0)
        XCTAssertEqual(fixture.call(granter, __HYPERVISOR_grant_table_op, UInt64(GNTTABOP_map_grant_ref), 0, 1),
                       ReturnValue.ok)
        XCTAssertEqual(granter.memory.load(gnttab_map_grant_ref.self, at: 0).status, Int16(GNTST_okay))
        destroy(granter)
        destroy(mapper)
        XCTAssertEqual(fixture.fake.freeFrames, freeBefore)
        XCTAssertTrue(fixture.fake.badFrees.isEmpty)
    }
}
