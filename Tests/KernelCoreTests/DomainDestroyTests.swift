import XCTest
import XenPublic
@testable import KernelCore

/// XEN_DOMCTL_destroydomain: everything a domain had goes back, and nothing
/// of it stays visible elsewhere.
final class DomainDestroyTests: XCTestCase {
    private var fixture: HypervisorFixture!
    /// Guest frames of dom0 above its RAM where it maps the new domain.
    private let window: UInt64 = 0x180

    override func setUp() {
        fixture = HypervisorFixture(spareFrames: 64)
        fixture.enterLongMode()
    }

    override func tearDown() {
        for domain in fixture.hypervisor.domains where domain.id > 1 { domain.memory.release() }
        fixture.release()
    }

    private var dom0: Domain { fixture.dom0 }

    private func destroy(_ id: UInt16, by caller: Domain? = nil) -> UInt64 {
        fixture.domctl(caller ?? dom0, DomctlRecord.make(XEN_DOMCTL_destroydomain, domain: id))
    }

    /// Created, RAM spread over several nested page tables, vCPU set, two
    /// frames mapped in dom0.
    private func builtDomain(_ name: String = "doomed") throws -> Domain {
        let frames: [UInt64] = [0x100, 0x101, 0x102, 0x3FF, 0x400, 0x4_0000, 0x8_0000, 0xF_FFFF]
        let domain = try XCTUnwrap(fixture.buildDomain(name, frames: frames, entry: 0x10_0000))
        XCTAssertEqual(fixture.addToPhysmapBatch(dom0, foreign: domain.id, indices: [0x100, 0x4_0000],
                                                 guestFrames: [window, window + 1]).1, [0, 0])
        XCTAssertNotNil(dom0.memory.nestedPageTable.translate(window * 4096))
        return domain
    }

    func testEveryFrameGoesBack() throws {
        let free = fixture.fake.freeFrames
        let dom0Tables = dom0.memory.nestedPageTable.tableFrameCount
        let domain = try builtDomain()
        XCTAssertGreaterThan(domain.memory.nestedPageTable.tableFrameCount, 4)
        XCTAssertEqual(fixture.fake.freeFrames, free - 8 - domain.memory.nestedPageTable.tableFrameCount)
        XCTAssertEqual(destroy(domain.id), ReturnValue.ok)
        XCTAssertEqual(fixture.fake.freeFrames, free, "RAM and page-table frames all returned")
        XCTAssertTrue(fixture.fake.badFrees.isEmpty)
        XCTAssertEqual(dom0.memory.nestedPageTable.tableFrameCount, dom0Tables)
        XCTAssertEqual(domain.memory.frameCount, 0)
        XCTAssertEqual(domain.memory.nestedPageTable.tableFrameCount, 0)
    }

    func testDom0LosesItsMappingsOfTheDomain() throws {
        let domain = try builtDomain()
        let guestOwnMapping = try XCTUnwrap(fixture.createDomain("other"))
        XCTAssertEqual(fixture.setMaxMem(guestOwnMapping.id, kilobytes: 4), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(guestOwnMapping.id, frames: [7]), 1)
        XCTAssertEqual(fixture.addToPhysmapBatch(dom0, foreign: guestOwnMapping.id, indices: [7],
                                                 guestFrames: [window + 2]).1, [0])
        let flushes = fixture.backend.translationFlushes
        XCTAssertEqual(destroy(domain.id), ReturnValue.ok)
        XCTAssertNil(dom0.memory.nestedPageTable.translate(window * 4096))
        XCTAssertNil(dom0.memory.nestedPageTable.translate((window + 1) * 4096))
        XCTAssertEqual(dom0.memory.nestedPageTable.translate((window + 2) * 4096),
                       guestOwnMapping.memory.hostFrame(of: 7), "another domain's mapping stays")
        XCTAssertEqual(dom0.memory.foreignMappings.map(\.owner), [guestOwnMapping.id])
        XCTAssertEqual(fixture.backend.translationFlushes, flushes + 1, "dom0's vCPU forgets them at once")
        XCTAssertEqual(dom0.memory.frameCount, 256)
        XCTAssertNotNil(dom0.memory.nestedPageTable.translate(0x10_000), "dom0's RAM stays")
    }

    func testNoFlushWhenDom0HadNoMappings() throws {
        let domain = try XCTUnwrap(fixture.buildDomain("plain", frames: [0x100], entry: 0x10_0000))
        XCTAssertEqual(destroy(domain.id), ReturnValue.ok)
        XCTAssertEqual(fixture.backend.translationFlushes, 0)
    }

    func testTheDomainLeavesTheList() throws {
        let domain = try builtDomain()
        XCTAssertEqual(destroy(domain.id), ReturnValue.ok)
        XCTAssertNil(fixture.domain(domain.id))
        XCTAssertEqual(fixture.hypervisor.domains.map(\.id), [0, 1])
        XCTAssertEqual(fixture.domainInfo(dom0, domain.id).0, ReturnValue.ESRCH)
        XCTAssertEqual(destroy(domain.id), ReturnValue.ESRCH, "only once")
        XCTAssertEqual(fixture.backend.destroyedVCPUs, 1)
        XCTAssertTrue(domain.vcpus.isEmpty)
    }

    func testDomctlRecordIsNotWrittenBack() throws {
        let domain = try builtDomain()
        var record = DomctlRecord.make(XEN_DOMCTL_destroydomain, domain: domain.id)
        record.u.getdomaininfo.tot_pages = 0xABCD
        XCTAssertEqual(fixture.domctl(dom0, record), ReturnValue.ok)
        XCTAssertEqual(fixture.domctlResult(dom0).u.getdomaininfo.tot_pages, 0xABCD)
    }

    func testARunningDomainIsReportedDestroyed() throws {
        let domain = try builtDomain("net-back")
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.make(XEN_DOMCTL_unpausedomain, domain: domain.id)), ReturnValue.ok)
        XCTAssertEqual(domain.state, .running)
        let output = captureStandardOutput { XCTAssertEqual(self.destroy(domain.id), ReturnValue.ok) }
        XCTAssertTrue(output.contains("(HV) domain-end d\(domain.id) net-back: destroyed\n"), output)
        XCTAssertNil(fixture.domain(domain.id))
    }

    func testADomainThatEndedIsNotReportedAgain() throws {
        let domain = try builtDomain("done")
        domain.state = .shutdown(reason: ShutdownReasonCode.powerOff)
        let output = captureStandardOutput { XCTAssertEqual(self.destroy(domain.id), ReturnValue.ok) }
        XCTAssertFalse(output.contains("domain-end"), output)
        XCTAssertNil(fixture.domain(domain.id))
    }

    func testUnprivilegedCannotDestroy() throws {
        let domain = try builtDomain()
        XCTAssertEqual(destroy(domain.id, by: fixture.domU), ReturnValue.EPERM)
        XCTAssertEqual(destroy(0, by: fixture.domU), ReturnValue.EPERM)
        XCTAssertNotNil(fixture.domain(domain.id))
        XCTAssertEqual(domain.memory.frameCount, 8)
    }

    func testDestroyingTheFixturesDomU() {
        let free = fixture.fake.freeFrames
        XCTAssertEqual(destroy(1), ReturnValue.ok)
        XCTAssertEqual(fixture.fake.freeFrames, free + 256 + 4)
        XCTAssertEqual(fixture.hypervisor.domains.map(\.id), [0])
        XCTAssertEqual(fixture.createDomain()?.id, 1)
        // The fixture releases domU's memory once more at the end: harmless
        // only because release() forgets the frames it gave back.
    }

    func testCreateAndDestroyManyTimesLeaksNothing() throws {
        let free = fixture.fake.freeFrames
        for round in 0..<5 {
            let domain = try builtDomain("round\(round)")
            XCTAssertEqual(domain.id, 2)
            XCTAssertEqual(destroy(domain.id), ReturnValue.ok)
            XCTAssertEqual(fixture.fake.freeFrames, free, "round \(round)")
        }
        XCTAssertTrue(fixture.fake.badFrees.isEmpty)
    }
}
