import XCTest
import XenPublic
@testable import KernelCore

final class HypercallDispatcherTests: XCTestCase {
    private var fixture: HypervisorFixture!

    override func setUp() { fixture = HypervisorFixture() }
    override func tearDown() { fixture.release() }

    func testUnknownNumbersAreENOSYS() {
        for number: Int32 in [0, 1, 21, 23, 33, 127, 128, 0x7FFF_FFFF] {
            XCTAssertEqual(fixture.call(fixture.domU, number), 0xFFFF_FFFF_FFFF_FFDA, "hypercall \(number)")
        }
        let huge = HypercallArguments(number: 0x1_0000_0000 | UInt64(__HYPERVISOR_xen_version))
        XCTAssertEqual(HypercallDispatcher.dispatch(huge, fixture.context(fixture.domU)).value, ReturnValue.ENOSYS)
    }

    func testKnownNumbersReachTheirHandlers() {
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_xen_version, UInt64(XENVER_pagesize)), 4096)
        XCTAssertEqual(fixture.call(fixture.dom0, __HYPERVISOR_console_io, UInt64(CONSOLEIO_read)), 0)
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_sched_op, UInt64(SCHEDOP_block)), 0)
        XCTAssertEqual(fixture.domU.state, .blocked)
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_hvm_op, 99), ReturnValue.ENOSYS)
        // EVTCHNOP_send of port 0 (the zeros at guest address 0): the handler's -EINVAL.
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_event_channel_op, UInt64(EVTCHNOP_send), 0),
                       ReturnValue.EINVAL)
    }

    func testSubOpAbove32BitsIsENOSYS() {
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_xen_version, 1 << 32), ReturnValue.ENOSYS)
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_sched_op, (1 << 32) | UInt64(SCHEDOP_block)), ReturnValue.ENOSYS)
        XCTAssertEqual(fixture.domU.state, .running)
    }

    func testNames() {
        XCTAssertEqual(HypercallTable.name(of: UInt64(__HYPERVISOR_sched_op)), "sched_op")
        XCTAssertEqual(HypercallTable.name(of: 99), "hypercall 99")
        XCTAssertEqual(HypercallTable.name(of: 1 << 40), "hypercall 1099511627776")
    }

    func testPrivilegedOnlyRowsAreEPERMForOthersBeforeReadingAnything() {
        for entry in HypercallTable.entries where entry.caller == .privilegedOnly {
            XCTAssertEqual(fixture.call(fixture.domU, entry.number, GuestBuffer.outside), ReturnValue.EPERM, "\(entry.name)")
        }
    }

    func testTableHasEachNumberOnce() {
        let numbers = HypercallTable.entries.map(\.number)
        XCTAssertEqual(Set(numbers).count, numbers.count)
        for (position, entry) in HypercallTable.entries.enumerated() {
            XCTAssertEqual(HypercallTable.position(of: UInt64(entry.number)), position)
        }
    }

    func testCountersArePerDomainWithFailuresAndUnknownNumbers() {
        _ = fixture.call(fixture.domU, __HYPERVISOR_xen_version, UInt64(XENVER_pagesize))
        _ = fixture.call(fixture.domU, __HYPERVISOR_xen_version, 1 << 32)
        _ = fixture.call(fixture.domU, __HYPERVISOR_domctl, GuestBuffer.outside)
        _ = fixture.call(fixture.domU, 99)
        XCTAssertEqual(fixture.domU.hypercallCounters.summary,
                       "xen_version 2 (1 failed), domctl 1 (1 failed), unknown 1 (1 failed)")
        XCTAssertEqual(fixture.dom0.hypercallCounters.summary, "", "another domain's calls are not counted here")
    }
}
