import XCTest
import XenPublic
@testable import KernelCore

/// The runstate: its accounting (VCPURunstate), VCPUOP_register_runstate_
/// memory_area, and the guest's copy the scheduler keeps up to date.
final class RunstateTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var domU: Domain { fixture.domU }
    private let request: UInt64 = 0x2000
    private let area: UInt64 = 0x5008

    override func setUp() { fixture = HypervisorFixture() }
    override func tearDown() { fixture.release() }

    private func register(_ address: UInt64, vcpu: UInt64 = 0) -> UInt64 {
        domU.memory.put(vcpu_register_runstate_memory_area(addr: address), at: request)
        return fixture.call(domU, __HYPERVISOR_vcpu_op, UInt64(VCPUOP_register_runstate_memory_area), vcpu, request)
    }

    func testTimeGoesToTheStateBeingLeft() {
        var runstate = VCPURunstate()
        runstate.change(to: .running, at: 100)
        runstate.change(to: .blocked, at: 350)
        runstate.change(to: .runnable, at: 1_000)
        runstate.change(to: .running, at: 1_200)
        runstate.change(to: .runnable, at: 1_100)           // the clock went back: nothing added
        let info = runstate.info
        XCTAssertEqual(info.state, RUNSTATE_runnable)
        XCTAssertEqual(info.state_entry_time, 1_200)
        XCTAssertEqual(info.time.0, 250, "running")
        XCTAssertEqual(info.time.1, 200, "runnable")
        XCTAssertEqual(info.time.2, 650, "blocked")
        XCTAssertEqual(info.time.3, 100, "offline, from 0 to the first run")
    }

    func testRegisteringWritesTheAreaAtOnce() {
        fixture.enterLongMode()
        domU.vcpus[0].runstate.change(to: .running, at: 7_000)
        XCTAssertEqual(register(area), 0)
        let copy = domU.memory.load(vcpu_runstate_info.self, at: area)
        XCTAssertEqual(copy.state, RUNSTATE_running)
        XCTAssertEqual(copy.state_entry_time, 7_000)
        XCTAssertEqual(copy.time.3, 7_000)
    }

    func testAThirtyTwoBitGuestGetsTheFortyFourByteLayout() {
        domU.vcpus[0].runstate.change(to: .blocked, at: 9)
        let end = HypervisorFixture.memoryBytes
        XCTAssertEqual(register(end - 44), 0, "44 bytes fit at the very end of RAM")
        let copy = domU.memory.load(compat_vcpu_runstate_info.self, at: end - 44)
        XCTAssertEqual(copy.state, RUNSTATE_blocked)
        XCTAssertEqual(copy.time.3, 9)
        XCTAssertEqual(register(end - 43), ReturnValue.EFAULT)
    }

    func testABadAddressIsEFAULTAndKeepsTheOldArea() {
        fixture.enterLongMode()
        XCTAssertEqual(register(area), 0)
        XCTAssertEqual(register(HypervisorFixture.memoryBytes - 40), ReturnValue.EFAULT, "48 bytes do not fit")
        XCTAssertEqual(domU.vcpus[0].runstate.area, area)
        XCTAssertEqual(register(0), 0)
        XCTAssertNil(domU.vcpus[0].runstate.area, "0 stops the updates")
        XCTAssertEqual(register(area, vcpu: 1), ReturnValue.ENOENT)
    }

    func testTheSchedulerKeepsTheCopyUpToDate() {
        fixture.enterLongMode()
        XCTAssertEqual(register(area), 0)
        domU.changeRunstate(of: domU.vcpus[0], to: .running, at: 1_000, backend: fixture.backend)
        domU.changeRunstate(of: domU.vcpus[0], to: .blocked, at: 4_000, backend: fixture.backend)
        let copy = domU.memory.load(vcpu_runstate_info.self, at: area)
        XCTAssertEqual(copy.state, RUNSTATE_blocked)
        XCTAssertEqual(copy.state_entry_time, 4_000)
        XCTAssertEqual(copy.time.0, 3_000)
    }
}
