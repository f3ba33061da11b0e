import XCTest
import XenPublic
@testable import KernelCore

final class HypercallDispatcherTests: XCTestCase {
    private var fixture: HypervisorFixture!

    override func setUp() { fixture = HypervisorFixture() }
    override func tearDown() { fixture.release() }

    func testUnknownNumbersAreENOSYS() {
        for number: Int32 in [0, 1, 23, __HYPERVISOR_grant_table_op, __HYPERVISOR_event_channel_op, 127, 128, 0x7FFF_FFFF] {
            XCTAssertEqual(fixture.call(fixture.domU, number), 0xFFFF_FFFF_FFFF_FFDA, "hypercall \(number)")
        }
        let huge = HypercallArguments(number: 0x1_0000_0000 | UInt64(__HYPERVISOR_xen_version))
        XCTAssertEqual(HypercallDispatcher.dispatch(huge, fixture.context(fixture.domU)), ReturnValue.ENOSYS)
    }

    func testKnownNumbersReachTheirHandlers() {
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_xen_version, UInt64(XENVER_pagesize)), 4096)
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_console_io, UInt64(CONSOLEIO_read)), 0)
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_sched_op, UInt64(SCHEDOP_block)), 0)
        XCTAssertEqual(fixture.domU.state, .blocked)
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_hvm_op, 99), ReturnValue.ENOSYS)
    }

    func testSubOpAbove32BitsIsENOSYS() {
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_xen_version, 1 << 32), ReturnValue.ENOSYS)
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_sched_op, (1 << 32) | UInt64(SCHEDOP_block)), ReturnValue.ENOSYS)
        XCTAssertEqual(fixture.domU.state, .running)
    }

    func testNames() {
        XCTAssertEqual(HypercallDispatcher.name(UInt64(__HYPERVISOR_sched_op)), "sched_op")
        XCTAssertEqual(HypercallDispatcher.name(99), "hypercall 99")
    }
}
