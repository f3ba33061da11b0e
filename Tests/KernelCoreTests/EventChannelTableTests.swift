import XCTest
import XenPublic
@testable import KernelCore

/// The port table: which ports exist, which one a bind gets, the 2-level
/// limit, and what the table may cost.
final class EventChannelTableTests: XCTestCase {
    private var fixture: HypervisorFixture!

    override func setUp() { fixture = HypervisorFixture() }
    override func tearDown() { fixture.release() }

    private func port(_ number: UInt32) -> EventChannelPort { EventChannelPort(number) }

    func testANewTableHasOneBucketWithPortZeroReserved() {
        let table = EventChannelTable()
        XCTAssertEqual(table.portCount, 64)
        XCTAssertEqual(table.channel(at: port(0))?.state, .reserved)
        XCTAssertEqual(table.channel(at: port(63)), .free)
        XCTAssertNil(table.channel(at: port(64)))
        XCTAssertNil(table.channel(at: port(UInt32.max)))
        XCTAssertEqual(table.openPorts, [])
    }

    func testPortsAreHandedOutLowestFirstFromOne() throws {
        let table = EventChannelTable()
        XCTAssertEqual(try table.freePort(), port(1))
        XCTAssertEqual(try table.freePort(), port(1), "a port is free until its channel is recorded")
        table.update(port(1), to: EventChannel(state: .interProcessor, notifiedVCPU: 0))
        table.update(port(2), to: EventChannel(state: .interProcessor, notifiedVCPU: 0))
        XCTAssertEqual(try table.freePort(), port(3))
        table.update(port(1), to: .free)
        XCTAssertEqual(try table.freePort(), port(1))
        XCTAssertEqual(table.openPorts, [port(2)])
    }

    func testABucketIsAddedOnlyWhenEveryPortIsInUse() throws {
        let table = EventChannelTable()
        for number in 1...63 { table.update(port(UInt32(number)), to: EventChannel(state: .interProcessor, notifiedVCPU: 0)) }
        XCTAssertEqual(table.portCount, 64)
        XCTAssertEqual(try table.freePort(), port(64))
        XCTAssertEqual(table.portCount, 128)
        XCTAssertEqual(table.channel(at: port(127)), .free)
        XCTAssertNil(table.channel(at: port(128)))
    }

    /// What the table's documentation promises: 16 bytes a channel, so at
    /// most 4096 * 16 bytes = 64 KiB per domain.
    func testAChannelTakesSixteenBytes() {
        XCTAssertLessThanOrEqual(MemoryLayout<EventChannel>.stride, 16)
        XCTAssertEqual(EventChannelTable.bucketLimit * EventChannelTable.bucketSize, Int(EVTCHN_2L_NR_CHANNELS))
    }

    /// Xen's 2-level limit: ports 1 to 4095, then -ENOSPC, for every domain.
    func test4095PortsOpenAndTheNextIsENOSPC() throws {
        let hypervisor = fixture.hypervisor
        let domU = fixture.domU
        for expected in 1...4095 {
            let port = try hypervisor.allocateUnboundPort(in: domU, remoteDomain: 0, caller: domU)
            XCTAssertEqual(port.number, UInt32(expected))
        }
        XCTAssertEqual(domU.eventChannels.portCount, 4096)
        let (result, _) = fixture.eventChannelOp(domU, EVTCHNOP_alloc_unbound,
                                                 evtchn_alloc_unbound(dom: HypervisorFixture.domidSelf, remote_dom: 0, port: 0))
        XCTAssertEqual(result, ReturnValue.ENOSPC)
        XCTAssertEqual(fixture.bindInterProcessor(domU).0, ReturnValue.ENOSPC)
        XCTAssertEqual(fixture.bindVirtualInterrupt(domU, VIRQ_TIMER).0, ReturnValue.ENOSPC)
        XCTAssertNil(domU.vcpus[0].virtualInterruptPorts[.timer], "a failed bind binds nothing")
        XCTAssertEqual(fixture.close(domU, 4000), ReturnValue.ok)
        XCTAssertEqual(fixture.bindInterProcessor(domU).1, 4000, "a closed port is the next one again")
        XCTAssertEqual(domU.eventChannels.portCount, 4096)
    }

    /// Naming big port numbers costs nothing: only opening ports does.
    func testPortNumbersAGuestNamesDoNotGrowTheTable() {
        let domU = fixture.domU
        for number: UInt32 in [64, 4095, 4096, 0x8000_0000, UInt32.max] {
            XCTAssertEqual(fixture.status(domU, number).0, ReturnValue.EINVAL)
            XCTAssertEqual(fixture.close(domU, number), ReturnValue.EINVAL)
            XCTAssertEqual(fixture.send(domU, number), ReturnValue.EINVAL)
            XCTAssertEqual(fixture.unmask(domU, number), ReturnValue.EINVAL)
            XCTAssertEqual(fixture.eventChannelOp(domU, EVTCHNOP_bind_vcpu, evtchn_bind_vcpu(port: number, vcpu: 0)).result,
                           ReturnValue.EINVAL)
        }
        XCTAssertEqual(domU.eventChannels.portCount, 64)
        XCTAssertNil(domU.sharedInfo, "no port was opened, so no shared_info page was made")
    }
}
