import XCTest
import XenPublic
@testable import KernelCore

/// sysctl XEN_SYSCTL_physinfo: the machine's memory as the frame source
/// counts it.
final class SysctlHypercallTests: XCTestCase {
    private var fixture: HypervisorFixture!

    override func setUp() { fixture = HypervisorFixture(spareFrames: 40) }
    override func tearDown() {
        for domain in fixture.hypervisor.domains where domain.id > 1 { domain.memory.release() }
        fixture.release()
    }

    private func sysctl(_ caller: Domain, command: Int32 = XEN_SYSCTL_physinfo,
                        version: UInt32 = UInt32(XEN_SYSCTL_INTERFACE_VERSION)) -> (UInt64, xen_sysctl) {
        var record = xen_sysctl()
        _ = withUnsafeMutableBytes(of: &record) { $0.initializeMemory(as: UInt8.self, repeating: 0xEE) }
        record.cmd = UInt32(bitPattern: command)
        record.interface_version = version
        caller.memory.put(record, at: GuestBuffer.sysctl)
        let result = fixture.call(caller, __HYPERVISOR_sysctl, GuestBuffer.sysctl)
        return (result, caller.memory.load(xen_sysctl.self, at: GuestBuffer.sysctl))
    }

    func testPhysinfoReportsTheFrameSource() {
        let (result, record) = sysctl(fixture.dom0)
        XCTAssertEqual(result, ReturnValue.ok)
        let info = record.u.physinfo
        XCTAssertEqual(info.total_pages, UInt64(fixture.fake.totalFrames))
        XCTAssertEqual(info.total_pages, 2 * 256 + 8 + 40)
        XCTAssertEqual(info.free_pages, UInt64(fixture.fake.freeFrames))
        XCTAssertEqual(info.free_pages, 40)
        XCTAssertEqual(info.threads_per_core, 1)
        XCTAssertEqual(info.cores_per_socket, 1)
        XCTAssertEqual(info.nr_cpus, 1)
        XCTAssertEqual(info.max_cpu_id, 0)
        XCTAssertEqual(info.nr_nodes, 1)
        XCTAssertEqual(info.max_node_id, 0)
        XCTAssertEqual(info.cpu_khz, 0)
        XCTAssertEqual(info.capabilities, 0)
        XCTAssertEqual(info.scrub_pages, 0)
        XCTAssertEqual(info.outstanding_pages, 0)
        XCTAssertEqual(info.max_mfn, 0)
        XCTAssertEqual(record.cmd, UInt32(XEN_SYSCTL_physinfo))
        XCTAssertEqual(record.interface_version, UInt32(XEN_SYSCTL_INTERFACE_VERSION))
    }

    func testFreePagesFollowCreateAndDestroy() throws {
        let domain = try XCTUnwrap(fixture.createDomain("counted"))
        XCTAssertEqual(fixture.setMaxMem(domain.id, kilobytes: 40), ReturnValue.ok)
        XCTAssertEqual(fixture.populate(domain.id, frames: Array(0..<10)), 10)
        XCTAssertEqual(sysctl(fixture.dom0).1.u.physinfo.free_pages, 40 - 1 - 3 - 10)
        XCTAssertEqual(fixture.domctl(fixture.dom0, DomctlRecord.make(XEN_DOMCTL_destroydomain, domain: domain.id)),
                       ReturnValue.ok)
        XCTAssertEqual(sysctl(fixture.dom0).1.u.physinfo.free_pages, 40)
    }

    func testUnprivilegedIsEPERM() {
        let (result, record) = sysctl(fixture.domU)
        XCTAssertEqual(result, ReturnValue.EPERM)
        XCTAssertEqual(record.u.physinfo.total_pages, 0xEEEE_EEEE_EEEE_EEEE, "nothing written back")
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_sysctl, GuestBuffer.outside), ReturnValue.EPERM)
    }

    func testWrongVersionIsEACCES() {
        for version: UInt32 in [0, UInt32(XEN_SYSCTL_INTERFACE_VERSION) - 1, UInt32(XEN_DOMCTL_INTERFACE_VERSION)] {
            let (result, record) = sysctl(fixture.dom0, version: version)
            XCTAssertEqual(result, ReturnValue.EACCES)
            XCTAssertEqual(record.u.physinfo.total_pages, 0xEEEE_EEEE_EEEE_EEEE)
        }
    }

    func testOtherCommandsAreENOSYS() {
        for command: Int32 in [0, 1, 2, 4, 99, -1] {
            let (result, record) = sysctl(fixture.dom0, command: command)
            XCTAssertEqual(result, ReturnValue.ENOSYS, "cmd \(command)")
            XCTAssertEqual(record.u.physinfo.total_pages, 0xEEEE_EEEE_EEEE_EEEE)
        }
    }

    func testBadPointerIsEFAULT() {
        XCTAssertEqual(fixture.call(fixture.dom0, __HYPERVISOR_sysctl, GuestBuffer.outside), ReturnValue.EFAULT)
        XCTAssertEqual(fixture.call(fixture.dom0, __HYPERVISOR_sysctl, HypervisorFixture.memoryBytes - 40),
                       ReturnValue.EFAULT)
    }

    /// struct xen_sysctl is Xen's 136 bytes and is copied whole: room for
    /// the header and physinfo alone (80 bytes) is not enough any more.
    func testTheStructIs136Bytes() {
        let end = HypervisorFixture.memoryBytes
        var record = xen_sysctl()
        record.cmd = UInt32(XEN_SYSCTL_physinfo)
        record.interface_version = UInt32(XEN_SYSCTL_INTERFACE_VERSION)
        fixture.dom0.memory.put(record, at: end - 136)
        XCTAssertEqual(fixture.call(fixture.dom0, __HYPERVISOR_sysctl, end - 136), ReturnValue.ok)
        XCTAssertEqual(fixture.dom0.memory.load(xen_sysctl.self, at: end - 136).u.physinfo.free_pages, 40)
        XCTAssertEqual(fixture.call(fixture.dom0, __HYPERVISOR_sysctl, end - 80), ReturnValue.EFAULT)
    }

    /// The union is 128 bytes; physinfo fills its first 72, the rest comes
    /// back as the caller left it.
    func testTheRestOfTheUnionComesBackAsItWas() {
        XCTAssertEqual(sysctl(fixture.dom0).0, ReturnValue.ok)
        XCTAssertEqual(fixture.dom0.memory.bytes(at: GuestBuffer.sysctl + 8 + 72, count: 56),
                       [UInt8](repeating: 0xEE, count: 56))
    }
}
