import XCTest
import XenPublic
@testable import KernelCore

/// domctl as dom0's builder makes it: the header checks, createdomain,
/// getdomaininfo, pause and unpause.
final class DomctlHypercallTests: XCTestCase {
    private var fixture: HypervisorFixture!

    override func setUp() { fixture = HypervisorFixture(spareFrames: 256) }
    override func tearDown() {
        for domain in fixture.hypervisor.domains where domain.id > 1 { domain.memory.release() }
        fixture.release()
    }

    private var dom0: Domain { fixture.dom0 }
    private var domU: Domain { fixture.domU }

    private static let allCommands: [Int32] = [
        XEN_DOMCTL_createdomain, XEN_DOMCTL_destroydomain, XEN_DOMCTL_pausedomain, XEN_DOMCTL_unpausedomain,
        XEN_DOMCTL_getdomaininfo, XEN_DOMCTL_max_mem, XEN_DOMCTL_setvcpucontext, XEN_DOMCTL_getvcpucontext,
        XEN_DOMCTL_max_vcpus, 999,
    ]

    // MARK: - The header

    func testUnprivilegedCallerGetsEPERMForEveryCommand() {
        for command in Self.allCommands {
            for target: UInt16 in [0, 1, HypervisorFixture.domidSelf] {
                var record = DomctlRecord.make(command, domain: target)
                record.u.createdomain.flags = DomctlRecord.hvmAndHAP
                XCTAssertEqual(fixture.domctl(domU, record), ReturnValue.EPERM, "cmd \(command) on d\(target)")
                XCTAssertEqual(fixture.domctlResult(domU).domain, target, "nothing written back")
            }
        }
        XCTAssertEqual(fixture.hypervisor.domains.count, 2)
        XCTAssertEqual(domU.state, .running)
        XCTAssertEqual(dom0.state, .running)
    }

    func testUnprivilegedCallerWithBadPointerStillGetsEPERM() {
        XCTAssertEqual(fixture.call(domU, __HYPERVISOR_domctl, GuestBuffer.outside), ReturnValue.EPERM)
    }

    func testBadPointerIsEFAULT() {
        XCTAssertEqual(fixture.call(dom0, __HYPERVISOR_domctl, GuestBuffer.outside), ReturnValue.EFAULT)
        // The header fits, the payload runs past the end of RAM.
        XCTAssertEqual(fixture.call(dom0, __HYPERVISOR_domctl, HypervisorFixture.memoryBytes - 16), ReturnValue.EFAULT)
    }

    /// struct xen_domctl is Xen's 144 bytes, read and written whole: it may
    /// end exactly at the end of RAM, and one byte short is EFAULT.
    func testTheStructIs144Bytes() {
        let end = HypervisorFixture.memoryBytes
        dom0.memory.put(DomctlRecord.make(XEN_DOMCTL_getdomaininfo, domain: 1), at: end - 144)
        XCTAssertEqual(fixture.call(dom0, __HYPERVISOR_domctl, end - 144), ReturnValue.ok)
        XCTAssertEqual(dom0.memory.load(xen_domctl.self, at: end - 144).u.getdomaininfo.tot_pages, 256)
        XCTAssertEqual(fixture.call(dom0, __HYPERVISOR_domctl, end - 143), ReturnValue.EFAULT)
    }

    func testWrongInterfaceVersionIsEACCES() {
        for version in [DomctlRecord.version - 1, DomctlRecord.version + 1, 0] {
            let record = DomctlRecord.make(XEN_DOMCTL_getdomaininfo, domain: 0, version: version)
            XCTAssertEqual(fixture.domctl(dom0, record), ReturnValue.EACCES)
            XCTAssertEqual(ReturnValue.EACCES, UInt64(bitPattern: -13))
        }
        var create = DomctlRecord.createdomain()
        create.interface_version = 0x16
        XCTAssertEqual(fixture.domctl(dom0, create), ReturnValue.EACCES)
        XCTAssertEqual(fixture.hypervisor.domains.count, 2, "nothing created")
    }

    func testUnknownCommandIsENOSYS() {
        for command: Int32 in [0, XEN_DOMCTL_getvcpucontext, 6, 999, -1] {
            XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.make(command, domain: 1)), ReturnValue.ENOSYS, "cmd \(command)")
        }
    }

    // MARK: - createdomain

    func testCreatedomainNeedsHVMAndHAP() {
        for flags: UInt32 in [0, UInt32(XEN_DOMCTL_CDF_hvm), UInt32(XEN_DOMCTL_CDF_hap), 1 << 2] {
            XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.createdomain(flags: flags)), ReturnValue.EINVAL,
                           "flags \(flags)")
        }
        XCTAssertEqual(fixture.hypervisor.domains.count, 2)
        // Other bits next to hvm | hap are ignored.
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.createdomain(flags: DomctlRecord.hvmAndHAP | 1 << 2)),
                       ReturnValue.ok)
    }

    func testCreatedomainTakesAtMostOneVCPU() {
        for count: UInt32 in [2, 64, .max] {
            XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.createdomain(maxVCPUs: count)), ReturnValue.EINVAL)
        }
        XCTAssertEqual(fixture.hypervisor.domains.count, 2)
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.createdomain(maxVCPUs: 1)), ReturnValue.ok)
        XCTAssertEqual(fixture.hypervisor.domains.count, 3)
    }

    func testCreatedDomainIsPausedWithoutMemoryOrVCPU() throws {
        let before = fixture.fake.freeFrames
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.createdomain(handle: DomctlRecord.handle("guest-a"))),
                       ReturnValue.ok)
        let result = fixture.domctlResult(dom0)
        XCTAssertEqual(result.domain, 2, "the new id is written back")
        XCTAssertEqual(result.cmd, UInt32(XEN_DOMCTL_createdomain))
        XCTAssertEqual(result.u.createdomain.flags, DomctlRecord.hvmAndHAP, "IN fields are left alone")
        let domain = try XCTUnwrap(fixture.domain(2))
        XCTAssertEqual(domain.name, "guest-a")
        XCTAssertEqual(domain.state, .paused)
        XCTAssertFalse(domain.isPrivileged)
        XCTAssertEqual(domain.memory.frameCount, 0)
        XCTAssertEqual(domain.maximumFrames, 0)
        XCTAssertTrue(domain.vcpus.isEmpty)
        XCTAssertEqual(domain.handle, DomctlRecord.handle("guest-a"))
        XCTAssertEqual(fixture.fake.freeFrames, before - 1, "only the nested page table's root")
        XCTAssertEqual(domain.memory.nestedPageTable.format, fixture.backend.nestedPageFormat)
        XCTAssertTrue(fixture.hypervisor.domains.last === domain)
    }

    func testAutomaticIDsAreTheLowestFreeFromOne() throws {
        XCTAssertEqual(fixture.createDomain("a")?.id, 2)
        XCTAssertEqual(fixture.createDomain("b")?.id, 3)
        XCTAssertEqual(fixture.createDomain("c")?.id, 4)
        let b = try XCTUnwrap(fixture.domain(3))
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.make(XEN_DOMCTL_destroydomain, domain: 3)), ReturnValue.ok)
        XCTAssertNil(fixture.domain(3))
        XCTAssertEqual(b.name, "b")
        let again = try XCTUnwrap(fixture.createDomain("d"))
        XCTAssertEqual(again.id, 3, "a destroyed domain's id is reused")
        XCTAssertEqual(again.name, "d")
        XCTAssertEqual(fixture.createDomain("e")?.id, 5)
    }

    func testAutomaticIDSkipsRequestedOnes() {
        XCTAssertEqual(fixture.createDomain("x", id: 2)?.id, 2)
        XCTAssertEqual(fixture.createDomain("y", id: 4)?.id, 4)
        XCTAssertEqual(fixture.createDomain("z")?.id, 3)
        XCTAssertEqual(fixture.createDomain("w")?.id, 5)
    }

    func testAutomaticIDStartsAtOneWhenOneIsFree() throws {
        fixture.hypervisor.remove(domU)
        XCTAssertEqual(fixture.createDomain("first")?.id, 1)
        fixture.hypervisor.add(domU)
    }

    func testRequestedID() throws {
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.createdomain(domain: 0x7EF)), ReturnValue.ok)
        XCTAssertEqual(fixture.domctlResult(dom0).domain, 0x7EF)
        XCTAssertNotNil(fixture.domain(0x7EF))
        let highest = UInt16(DOMID_FIRST_RESERVED) - 1
        XCTAssertEqual(fixture.createDomain("top", id: highest)?.id, highest)
    }

    func testRequestedIDThatExistsIsEEXIST() {
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.createdomain(domain: 1)), ReturnValue.EEXIST)
        XCTAssertEqual(fixture.domctlResult(dom0).domain, 1, "nothing written back")
        XCTAssertEqual(fixture.createDomain(id: 9)?.id, 9)
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.createdomain(domain: 9)), ReturnValue.EEXIST)
        XCTAssertEqual(fixture.hypervisor.domains.count, 3)
    }

    func testReservedIDsAreEINVAL() {
        for id in [UInt16(DOMID_FIRST_RESERVED), UInt16(DOMID_SELF), 0x7FF1, 0x7FFF, 0x8000, .max] {
            XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.createdomain(domain: id)), ReturnValue.EINVAL, "id \(id)")
        }
        XCTAssertEqual(fixture.hypervisor.domains.count, 2)
    }

    func testNameComesFromTheHandle() {
        func created(_ handle: [UInt8]) -> String? {
            guard fixture.domctl(dom0, DomctlRecord.createdomain(handle: handle)) == ReturnValue.ok else { return nil }
            return fixture.domain(fixture.domctlResult(dom0).domain)?.name
        }
        XCTAssertEqual(created(DomctlRecord.handle("worker")), "worker")
        XCTAssertEqual(created(Array("0123456789abcdef".utf8)), "0123456789abcdef", "all 16 bytes, no NUL")
        XCTAssertEqual(created(Array("net~".utf8) + [0, 0x01, 0xFF] + [UInt8](repeating: 0x7F, count: 9)), "net~",
                       "what follows the NUL does not matter")
        XCTAssertEqual(created([UInt8](repeating: 0, count: 16)), "d5", "empty")
        XCTAssertEqual(created(Array("has space".utf8) + [UInt8](repeating: 0, count: 7)), "d6")
        XCTAssertEqual(created(Array("tab\t".utf8) + [UInt8](repeating: 0, count: 12)), "d7")
        XCTAssertEqual(created([0x41, 0x80] + [UInt8](repeating: 0, count: 14)), "d8")
        XCTAssertEqual(created([0x41, 0x7F] + [UInt8](repeating: 0, count: 14)), "d9")
        XCTAssertEqual(created([0x41, 0x0A] + [UInt8](repeating: 0, count: 14)), "d10")
    }

    func testNameHelper() {
        XCTAssertEqual(DomainFactory.name(from: DomctlRecord.handle("!~"), id: 3), "!~")
        XCTAssertEqual(DomainFactory.name(from: [0x21, 0x20, 0x21], id: 3), "d3")
        XCTAssertEqual(DomainFactory.name(from: [], id: 12), "d12")
    }

    func testDomainLimitIsENOSPC() {
        XCTAssertEqual(DomainFactory.maximumDomains, 64)
        for _ in 2..<DomainFactory.maximumDomains {
            XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.createdomain()), ReturnValue.ok)
        }
        XCTAssertEqual(fixture.hypervisor.domains.count, 64)
        XCTAssertEqual(fixture.domctlResult(dom0).domain, 63)
        let free = fixture.fake.freeFrames
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.createdomain()), ReturnValue.ENOSPC)
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.createdomain(domain: 100)), ReturnValue.ENOSPC)
        XCTAssertEqual(fixture.hypervisor.domains.count, 64)
        XCTAssertEqual(fixture.fake.freeFrames, free)
        // One destroyed: room for one more.
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.make(XEN_DOMCTL_destroydomain, domain: 40)), ReturnValue.ok)
        XCTAssertEqual(fixture.createDomain()?.id, 40)
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.createdomain()), ReturnValue.ENOSPC)
    }

    func testOutOfMemoryIsENOMEM() {
        fixture.fake.remainingAllocations = 0
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.createdomain()), ReturnValue.ENOMEM)
        XCTAssertEqual(fixture.hypervisor.domains.count, 2)
    }

    // MARK: - getdomaininfo

    func testGetdomaininfoOfARunningDomain() {
        domU.handle = Array(0x30..<0x40)
        let (result, record) = fixture.domainInfo(dom0, 1)
        XCTAssertEqual(result, ReturnValue.ok)
        XCTAssertEqual(record.domain, 1)
        let info = record.u.getdomaininfo
        XCTAssertEqual(info.domain, 1)
        XCTAssertEqual(info.flags, 0x122, "hvm_guest | hap | running")
        XCTAssertEqual(info.tot_pages, 256)
        XCTAssertEqual(info.max_pages, 256)
        XCTAssertEqual(info.nr_online_vcpus, 1)
        XCTAssertEqual(info.max_vcpu_id, 0)
        XCTAssertEqual(DomctlRecord.handleBytes(info), Array(0x30..<0x40))
    }

    func testGetdomaininfoClearsWhatItDoesNotKeep() {
        var record = xen_domctl()
        _ = withUnsafeMutableBytes(of: &record) { $0.initializeMemory(as: UInt8.self, repeating: 0xEE) }
        record.cmd = UInt32(XEN_DOMCTL_getdomaininfo)
        record.interface_version = DomctlRecord.version
        record.domain = 1
        XCTAssertEqual(fixture.domctl(dom0, record), ReturnValue.ok)
        let info = fixture.domctlResult(dom0).u.getdomaininfo
        XCTAssertEqual(info.pad1, 0)
        XCTAssertEqual(info.outstanding_pages, 0)
        XCTAssertEqual(info.shr_pages, 0)
        XCTAssertEqual(info.paged_pages, 0)
        XCTAssertEqual(info.shared_info_frame, 0)
        XCTAssertEqual(info.cpu_time, 0)
        XCTAssertEqual(info.ssidref, 0)
        XCTAssertEqual(info.cpupool, 0)
        XCTAssertEqual(DomctlRecord.handleBytes(info), [UInt8](repeating: 0, count: 16))
        // The union is 128 bytes; getdomaininfo fills its first 96, the
        // rest comes back as the caller left it.
        XCTAssertEqual(dom0.memory.bytes(at: GuestBuffer.domctl + 16 + 96, count: 32), [UInt8](repeating: 0xEE, count: 32))
        XCTAssertEqual(dom0.memory.bytes(at: GuestBuffer.domctl + 144, count: 1), [0], "nothing past the struct")
    }

    /// Each field of the record, set to a value no other field has, comes
    /// back at its own offset in struct xen_domctl_getdomaininfo.
    func testGetdomaininfoFieldsAreWhereTheHeaderSays() {
        domU.handle = Array(0xA0..<0xB0)
        domU.maximumFrames = 0x1234
        CreditScheduler.charge(domU, ran: 0x5_6789, preempted: false, now: 10_000_000)
        let (result, record) = fixture.domainInfo(dom0, 1)
        XCTAssertEqual(result, ReturnValue.ok)
        XCTAssertEqual(record.cmd, UInt32(XEN_DOMCTL_getdomaininfo))
        XCTAssertEqual(record.interface_version, DomctlRecord.version)
        let raw = withUnsafeBytes(of: record) { Array($0) }
        func field<T: FixedWidthInteger>(_ offset: Int, _ type: T.Type) -> T {
            raw.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 16 + offset, as: T.self) }
        }
        // Offsets from Xen's public domctl.h, spelled out on purpose.
        XCTAssertEqual(field(0, UInt16.self), 1, "domain")
        XCTAssertEqual(field(4, UInt32.self), 0x122, "flags")
        XCTAssertEqual(field(8, UInt64.self), 256, "tot_pages")
        XCTAssertEqual(field(16, UInt64.self), 0x1234, "max_pages")
        XCTAssertEqual(field(56, UInt64.self), 0x5_6789, "cpu_time")
        XCTAssertEqual(field(64, UInt32.self), 1, "nr_online_vcpus")
        XCTAssertEqual(Array(raw[(16 + 76)..<(16 + 92)]), Array(0xA0..<0xB0), "handle")
    }

    func testGetdomaininfoReportsTheCPUTimeTheSchedulerCharged() {
        CreditScheduler.charge(domU, ran: 3_500_000, preempted: true, now: 10_000_000)
        CreditScheduler.charge(domU, ran: 1_250_000, preempted: false, now: 20_000_000)
        XCTAssertEqual(fixture.domainInfo(dom0, 1).1.u.getdomaininfo.cpu_time, 4_750_000, "nanoseconds")
        XCTAssertEqual(fixture.domainInfo(dom0, 0).1.u.getdomaininfo.cpu_time, 0, "dom0 has not run")
    }

    func testGetdomaininfoFlagsFollowTheState() {
        let base: UInt32 = 0x102      // hvm_guest | hap
        let cases: [(DomainState, UInt32)] = [
            (.paused, base | 0x08),
            (.running, base | 0x20),
            (.blocked, base | 0x10),
            (.shutdown(reason: ShutdownReasonCode.powerOff), base | 0x04),
            (.shutdown(reason: ShutdownReasonCode.reboot), base | 0x04 | 1 << 16),
            (.shutdown(reason: ShutdownReasonCode.watchdog), base | 0x04 | 4 << 16),
            (.shutdown(reason: 0x1FF), base | 0x04 | 0xFF << 16),
            (.crashed("triple fault"), base | 0x04 | 3 << 16),
        ]
        for (state, flags) in cases {
            domU.state = state
            let (result, record) = fixture.domainInfo(dom0, 1)
            XCTAssertEqual(result, ReturnValue.ok)
            XCTAssertEqual(record.u.getdomaininfo.flags, flags, "\(state)")
        }
    }

    func testGetdomaininfoOfANewDomain() throws {
        let domain = try XCTUnwrap(fixture.createDomain("fresh"))
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 64), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(domain.id, frames: [0, 1, 7]), 3)
        let (result, record) = fixture.domainInfo(dom0, domain.id)
        XCTAssertEqual(result, ReturnValue.ok)
        let info = record.u.getdomaininfo
        XCTAssertEqual(info.domain, domain.id)
        XCTAssertEqual(info.flags, 0x10A, "hvm_guest | hap | paused")
        XCTAssertEqual(info.tot_pages, 3)
        XCTAssertEqual(info.max_pages, 16)
        XCTAssertEqual(info.nr_online_vcpus, 0)
        XCTAssertEqual(DomctlRecord.handleBytes(info), DomctlRecord.handle("fresh"))
    }

    func testGetdomaininfoOfAMissingIDReportsTheNextHigherOne() {
        XCTAssertEqual(fixture.createDomain(id: 5)?.id, 5)
        XCTAssertEqual(fixture.createDomain(id: 9)?.id, 9)
        for (asked, found): (UInt16, UInt16) in [(0, 0), (1, 1), (2, 5), (5, 5), (6, 9), (9, 9)] {
            let (result, record) = fixture.domainInfo(dom0, asked)
            XCTAssertEqual(result, ReturnValue.ok, "asked \(asked)")
            XCTAssertEqual(record.domain, found, "asked \(asked)")
            XCTAssertEqual(record.u.getdomaininfo.domain, found, "asked \(asked)")
        }
    }

    func testGetdomaininfoPastTheLastIsESRCH() {
        for asked: UInt16 in [2, 100, UInt16(DOMID_SELF), .max] {
            let (result, record) = fixture.domainInfo(dom0, asked)
            XCTAssertEqual(result, ReturnValue.ESRCH)
            XCTAssertEqual(record.domain, asked, "nothing written back")
        }
    }

    func testListingAllDomainsTheXenWay() {
        XCTAssertEqual(fixture.createDomain(id: 3)?.id, 3)
        XCTAssertEqual(fixture.createDomain(id: 700)?.id, 700)
        var listed: [UInt16] = []
        var next: UInt16 = 0
        while true {
            let (result, record) = fixture.domainInfo(dom0, next)
            guard result == ReturnValue.ok else { break }
            listed.append(record.u.getdomaininfo.domain)
            next = record.domain + 1
        }
        XCTAssertEqual(listed, [0, 1, 3, 700])
    }

    // MARK: - pause and unpause

    func testUnpauseWithoutVCPUIsEINVAL() throws {
        let domain = try XCTUnwrap(fixture.createDomain())
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.make(XEN_DOMCTL_unpausedomain, domain: domain.id)),
                       ReturnValue.EINVAL)
        XCTAssertEqual(domain.state, .paused)
    }

    func testPauseAndUnpause() {
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.make(XEN_DOMCTL_pausedomain, domain: 1)), ReturnValue.ok)
        XCTAssertEqual(domU.state, .paused)
        XCTAssertEqual(fixture.domainInfo(dom0, 1).1.u.getdomaininfo.flags & 0x28, 0x08)
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.make(XEN_DOMCTL_unpausedomain, domain: 1)), ReturnValue.ok)
        XCTAssertEqual(domU.state, .running)
        XCTAssertEqual(fixture.domainInfo(dom0, 1).1.u.getdomaininfo.flags & 0x28, 0x20)
    }

    func testUnpauseOfARunningDomainIsEINVAL() {
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.make(XEN_DOMCTL_unpausedomain, domain: 1)), ReturnValue.EINVAL)
        XCTAssertEqual(domU.state, .running)
    }

    func testPauseOfABlockedDomainPausesIt() {
        domU.state = .blocked
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.make(XEN_DOMCTL_pausedomain, domain: 1)), ReturnValue.ok)
        XCTAssertEqual(domU.state, .paused)
    }

    func testPauseAndUnpauseOfAFinishedDomainAreEINVAL() {
        for state: DomainState in [.shutdown(reason: ShutdownReasonCode.powerOff), .crashed("bad")] {
            domU.state = state
            XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.make(XEN_DOMCTL_pausedomain, domain: 1)), ReturnValue.EINVAL)
            XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.make(XEN_DOMCTL_unpausedomain, domain: 1)), ReturnValue.EINVAL)
            XCTAssertEqual(domU.state, state)
        }
    }

    func testDom0CannotPauseUnpauseOrDestroyItself() {
        for command in [XEN_DOMCTL_pausedomain, XEN_DOMCTL_unpausedomain, XEN_DOMCTL_destroydomain] {
            XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.make(command, domain: 0)), ReturnValue.EINVAL, "cmd \(command)")
            XCTAssertEqual(dom0.state, .running)
            XCTAssertTrue(fixture.domain(0) === dom0)
        }
    }

    func testAnotherPrivilegedDomainCannotActOnDom0OrItself() throws {
        let control = Domain(id: 7, name: "control", isPrivileged: true,
                             memory: try DomainMemory(bytes: 1 << 16, format: .npt, frames: fixture.hypervisor.frames))
        control.vcpus.append(VCPU(domainID: 7, index: 0))
        control.state = .running
        fixture.hypervisor.add(control)
        dom0.state = .paused
        for command in [XEN_DOMCTL_pausedomain, XEN_DOMCTL_unpausedomain, XEN_DOMCTL_destroydomain, XEN_DOMCTL_max_mem] {
            for target: UInt16 in [0, 7] {
                XCTAssertEqual(fixture.domctl(control, DomctlRecord.make(command, domain: target)), ReturnValue.EINVAL,
                               "cmd \(command) on d\(target)")
            }
        }
        XCTAssertEqual(dom0.state, .paused)
        XCTAssertEqual(control.state, .running)
        XCTAssertEqual(fixture.hypervisor.domains.count, 3)
        // It may act on the others.
        XCTAssertEqual(fixture.domctl(control, DomctlRecord.make(XEN_DOMCTL_pausedomain, domain: 1)), ReturnValue.ok)
        XCTAssertEqual(domU.state, .paused)
    }

    func testMissingDomainIsESRCH() {
        for command in [XEN_DOMCTL_pausedomain, XEN_DOMCTL_unpausedomain, XEN_DOMCTL_destroydomain,
                        XEN_DOMCTL_max_mem, XEN_DOMCTL_max_vcpus, XEN_DOMCTL_setvcpucontext] {
            for target: UInt16 in [2, 300, UInt16(DOMID_SELF)] {
                XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.make(command, domain: target)), ReturnValue.ESRCH,
                               "cmd \(command) on d\(target)")
            }
        }
        XCTAssertEqual(fixture.hypervisor.domains.count, 2)
    }

    // MARK: - max_vcpus

    func testMaxVCPUsAcceptsOnlyOne() throws {
        let domain = try XCTUnwrap(fixture.createDomain())
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.maxVCPUs(domain: domain.id, count: 1)), ReturnValue.ok)
        for count: UInt32 in [0, 2, 128] {
            XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.maxVCPUs(domain: domain.id, count: count)), ReturnValue.EINVAL)
        }
        XCTAssertEqual(fixture.domctl(dom0, DomctlRecord.maxVCPUs(domain: 0, count: 1)), ReturnValue.EINVAL)
    }
}
