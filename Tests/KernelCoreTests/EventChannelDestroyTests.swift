import XCTest
import XenPublic
@testable import KernelCore

/// A domain's event channels when it is destroyed (XEN_DOMCTL_destroydomain):
/// its ports close, the other ends of its interdomain channels become
/// unbound (Xen's evtchn_destroy), its shared_info page goes back, and dom0
/// hears of it (VIRQ_DOM_EXC).
final class EventChannelDestroyTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var dom0: Domain { fixture.dom0 }

    override func setUp() { fixture = HypervisorFixture(spareFrames: 32) }

    override func tearDown() {
        for domain in fixture.hypervisor.domains where domain.id > 1 { domain.memory.release() }
        fixture.release()
    }

    /// A paused domain with RAM at 0x7000 (GuestBuffer.eventChannel, so it can
    /// make the calls itself) and a vCPU.
    private func guest() throws -> Domain {
        try XCTUnwrap(fixture.buildDomain("guest", frames: [0x7, 0x100], entry: 0x10_0000))
    }

    private func destroy(_ domain: Domain) -> UInt64 {
        fixture.domctl(dom0, DomctlRecord.make(XEN_DOMCTL_destroydomain, domain: domain.id))
    }

    func testTheOtherEndOfAChannelItConnectedBecomesUnbound() throws {
        let guest = try guest()
        let offered = try XCTUnwrap(fixture.allocateUnbound(dom0, remote: guest.id))
        XCTAssertEqual(fixture.bindInterdomain(guest, remote: 0, port: offered).0, ReturnValue.ok)
        XCTAssertEqual(destroy(guest), ReturnValue.ok)
        let (result, status) = fixture.status(dom0, offered)
        XCTAssertEqual(result, ReturnValue.ok)
        XCTAssertEqual(status.status, UInt32(EVTCHNSTAT_unbound))
        XCTAssertEqual(status.u.unbound.dom, guest.id)
        fixture.eventBits(dom0).setPending(offered, false)
        XCTAssertEqual(fixture.send(dom0, offered), ReturnValue.ok, "dropped, as on any unbound port")
        XCTAssertFalse(fixture.eventBits(dom0).isPending(offered))
    }

    func testTheOtherEndOfAChannelItOfferedBecomesUnbound() throws {
        let guest = try guest()
        let offered = try XCTUnwrap(fixture.allocateUnbound(guest, remote: 0))
        let (result, local) = fixture.bindInterdomain(dom0, remote: guest.id, port: offered)
        XCTAssertEqual(result, ReturnValue.ok)
        XCTAssertEqual(destroy(guest), ReturnValue.ok)
        let status = fixture.status(dom0, local).1
        XCTAssertEqual(status.status, UInt32(EVTCHNSTAT_unbound))
        XCTAssertEqual(status.u.unbound.dom, guest.id)
    }

    func testEveryKindOfPortClosesAndTheSharedInfoPageGoesBack() throws {
        let free = fixture.fake.freeFrames
        let guest = try guest()
        let built = fixture.fake.freeFrames
        let offered = try XCTUnwrap(fixture.allocateUnbound(guest, remote: HypervisorFixture.domidSelf))
        XCTAssertEqual(fixture.bindInterdomain(guest, remote: HypervisorFixture.domidSelf, port: offered).0, ReturnValue.ok)
        XCTAssertEqual(fixture.bindVirtualInterrupt(guest, VIRQ_TIMER).0, ReturnValue.ok)
        XCTAssertEqual(fixture.bindInterProcessor(guest).0, ReturnValue.ok)
        XCTAssertEqual(fixture.allocateUnbound(guest, remote: 0), 5)
        XCTAssertEqual(fixture.fake.freeFrames, built - 1, "the first port made the shared_info page")
        XCTAssertEqual(destroy(guest), ReturnValue.ok)
        XCTAssertEqual(guest.eventChannels.openPorts, [])
        XCTAssertEqual(fixture.fake.freeFrames, free)
        XCTAssertTrue(fixture.fake.badFrees.isEmpty)
    }

    func testDom0HearsOfTheDestruction() throws {
        let guest = try guest()
        let (_, port) = fixture.bindVirtualInterrupt(dom0, VIRQ_DOM_EXC)
        XCTAssertFalse(fixture.eventBits(dom0).isPending(port))
        XCTAssertEqual(destroy(guest), ReturnValue.ok)
        XCTAssertTrue(fixture.eventBits(dom0).isPending(port))
        XCTAssertEqual(fixture.eventBits(dom0).upcallPending(), 1)
    }

    /// setvcpucontext makes a new vCPU 0: the VIRQs bound on the old one stay
    /// bound (their ports stay open).
    func testANewStartContextKeepsTheVIRQBindings() throws {
        let guest = try guest()
        let (_, port) = fixture.bindVirtualInterrupt(guest, VIRQ_TIMER)
        XCTAssertEqual(fixture.setStartContext(guest.id, StartContext.make(entry: 0x10_0000)), ReturnValue.ok)
        XCTAssertEqual(guest.vcpus[0].virtualInterruptPorts[.timer], EventChannelPort(port))
        XCTAssertEqual(fixture.bindVirtualInterrupt(guest, VIRQ_TIMER).0, ReturnValue.EEXIST)
    }
}
