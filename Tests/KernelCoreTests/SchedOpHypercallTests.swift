import XCTest
import XenPublic
@testable import KernelCore

final class SchedOpHypercallTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var domU: Domain { fixture.domU }

    override func setUp() { fixture = HypervisorFixture() }
    override func tearDown() { fixture.release() }

    private func schedule(_ command: Int32, _ argument: UInt64 = 0) -> UInt64 {
        fixture.call(domU, __HYPERVISOR_sched_op, UInt64(UInt32(bitPattern: command)), argument)
    }

    func testShutdownReadsTheReasonFromGuestMemory() {
        domU.memory.put(sched_shutdown(reason: UInt32(SHUTDOWN_reboot)), at: 0x4FFE)      // across a page boundary
        XCTAssertEqual(schedule(SCHEDOP_shutdown, 0x4FFE), 0)
        XCTAssertEqual(domU.state, .shutdown(reason: 1))
        XCTAssertEqual(fixture.dom0.state, .running)
    }

    func testShutdownWithABadPointer() {
        XCTAssertEqual(schedule(SCHEDOP_shutdown, HypervisorFixture.memoryBytes - 3), ReturnValue.EFAULT)
        XCTAssertEqual(domU.state, .running)
        domU.memory.put(sched_shutdown(reason: UInt32(SHUTDOWN_watchdog)), at: HypervisorFixture.memoryBytes - 4)
        XCTAssertEqual(schedule(SCHEDOP_shutdown, HypervisorFixture.memoryBytes - 4), 0, "4 bytes are enough")
        XCTAssertEqual(domU.state, .shutdown(reason: UInt32(SHUTDOWN_watchdog)))
    }

    func testShutdownCodeOnlyReads() {
        domU.memory.put(sched_shutdown(reason: UInt32(SHUTDOWN_crash)), at: 0x1000)
        XCTAssertEqual(schedule(SCHEDOP_shutdown_code, 0x1000), 0)
        XCTAssertEqual(domU.state, .running)
        XCTAssertEqual(schedule(SCHEDOP_shutdown_code, HypervisorFixture.memoryBytes), ReturnValue.EFAULT)
    }

    func testBlock() {
        XCTAssertEqual(schedule(SCHEDOP_block), 0)
        XCTAssertEqual(domU.state, .blocked)
    }

    func testYield() {
        XCTAssertFalse(fixture.hypervisor.yieldRequested)
        XCTAssertEqual(schedule(SCHEDOP_yield), 0)
        XCTAssertTrue(fixture.hypervisor.yieldRequested)
        XCTAssertEqual(domU.state, .running)
    }

    func testUnknownCommand() {
        XCTAssertEqual(schedule(SCHEDOP_remote_shutdown), ReturnValue.ENOSYS)
        XCTAssertEqual(schedule(-1), ReturnValue.ENOSYS)
        XCTAssertEqual(domU.state, .running)
    }

    func testStateDescriptions() {
        XCTAssertEqual(DomainState.shutdown(reason: 0).description, "shut down (poweroff)")
        XCTAssertEqual(DomainState.shutdown(reason: 9).description, "shut down (reason 9)")
        XCTAssertTrue(DomainState.shutdown(reason: 0).isFinished)
        XCTAssertFalse(DomainState.blocked.isFinished)
    }
}
