import XCTest
import XenPublic
@testable import KernelCore

/// 2-level delivery, checked on the bytes the guest sees: evtchn_pending
/// and evtchn_mask in shared_info, evtchn_pending_sel and
/// evtchn_upcall_pending in vcpu_info, and the vCPU's upcall: a per-vCPU
/// upcall vector, which the 0-to-1 edge of evtchn_upcall_pending requests
/// in the vCPU's local APIC.
final class EventDeliveryTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var domU: Domain { fixture.domU }
    private var bits: GuestEventBits { fixture.eventBits(domU) }
    private var vcpu: VCPU { domU.vcpus[0] }

    private static let upcallVector: UInt8 = 0xF3

    override func setUp() {
        fixture = HypervisorFixture()
        vcpu.upcallVector = Self.upcallVector
    }

    /// Whether the upcall vector is requested in `vcpu`'s local APIC.
    private func upcallRequested(_ vcpu: VCPU) -> Bool {
        vcpu.localAPIC.interruptRequests.contains(Self.upcallVector)
    }

    /// The request, taken (as injecting it would): whether there was one.
    private func takeUpcall(_ vcpu: VCPU) -> Bool {
        defer { vcpu.localAPIC.interruptRequests.remove(Self.upcallVector) }
        return upcallRequested(vcpu)
    }
    override func tearDown() { fixture.release() }

    /// Opens IPI ports up to and including `last`; returns it.
    private func openIPIs(upTo last: UInt32) -> UInt32 {
        var port: UInt32 = 0
        while port < last { port = fixture.bindInterProcessor(domU).1 }
        return port
    }

    func testAnEventSetsThePortTheSelectorAndTheUpcall() {
        let port = openIPIs(upTo: 70)                       // word 1, bit 6
        XCTAssertEqual(fixture.send(domU, port), ReturnValue.ok)
        XCTAssertEqual(bits.pendingWord(1), 1 << 6)
        XCTAssertEqual(bits.pendingWord(0), 0)
        XCTAssertEqual(bits.selector(), 1 << 1)
        XCTAssertEqual(bits.upcallPending(), 1)
        XCTAssertTrue(takeUpcall(vcpu))
        XCTAssertFalse(takeUpcall(vcpu), "taken once")
    }

    func testAPortAlreadyPendingTellsNobodyAgain() {
        let port = openIPIs(upTo: 3)
        XCTAssertEqual(fixture.send(domU, port), ReturnValue.ok)
        bits.acknowledge()                                  // the guest clears sel and upcall, not the port
        _ = takeUpcall(vcpu)
        XCTAssertEqual(fixture.send(domU, port), ReturnValue.ok)
        XCTAssertEqual(bits.selector(), 0)
        XCTAssertEqual(bits.upcallPending(), 0)
        XCTAssertFalse(upcallRequested(vcpu))
    }

    func testASelectorBitAlreadySetStopsBeforeTheUpcall() {
        let port = openIPIs(upTo: 2)
        XCTAssertEqual(fixture.send(domU, 1), ReturnValue.ok)
        // The guest took the upcall and is still scanning word 0.
        fixture.fake.physicalMemory.pointer(domU.sharedInfo!.hostFrame).storeBytes(of: 0, as: UInt8.self)
        _ = takeUpcall(vcpu)
        XCTAssertEqual(fixture.send(domU, port), ReturnValue.ok)
        XCTAssertEqual(bits.pendingWord(0), 0b110)
        XCTAssertEqual(bits.selector(), 1)
        XCTAssertEqual(bits.upcallPending(), 0)
        XCTAssertFalse(upcallRequested(vcpu))
    }

    func testAnUpcallAlreadyPendingIsNotRequestedAgain() {
        let port = openIPIs(upTo: 65)
        XCTAssertEqual(fixture.send(domU, 1), ReturnValue.ok)
        _ = takeUpcall(vcpu)
        XCTAssertEqual(fixture.send(domU, port), ReturnValue.ok)      // another word
        XCTAssertEqual(bits.selector(), 0b11)
        XCTAssertEqual(bits.upcallPending(), 1)
        XCTAssertFalse(upcallRequested(vcpu))
    }

    func testAMaskedPortStaysPendingUntilUnmasked() {
        let port = openIPIs(upTo: 5)
        bits.setMask(port)
        XCTAssertEqual(fixture.send(domU, port), ReturnValue.ok)
        XCTAssertTrue(bits.isPending(port))
        XCTAssertEqual(bits.selector(), 0)
        XCTAssertEqual(bits.upcallPending(), 0)
        XCTAssertFalse(upcallRequested(vcpu))

        XCTAssertEqual(fixture.unmask(domU, port), ReturnValue.ok)
        XCTAssertFalse(bits.isMasked(port))
        XCTAssertTrue(bits.isPending(port))
        XCTAssertEqual(bits.selector(), 1)
        XCTAssertEqual(bits.upcallPending(), 1)
        XCTAssertTrue(upcallRequested(vcpu))
    }

    /// Xen notifies on unmask only if the mask bit was set (Linux re-masks
    /// before asking, for that reason).
    func testUnmaskingAPortThatWasNotMaskedTellsNobody() {
        let port = openIPIs(upTo: 5)
        XCTAssertEqual(fixture.send(domU, port), ReturnValue.ok)
        bits.acknowledge()
        _ = takeUpcall(vcpu)
        XCTAssertEqual(fixture.unmask(domU, port), ReturnValue.ok)
        XCTAssertEqual(bits.selector(), 0)
        XCTAssertEqual(bits.upcallPending(), 0)
        XCTAssertFalse(upcallRequested(vcpu))
    }

    func testUnmaskingAPortThatIsNotPendingOnlyClearsTheMask() {
        let port = openIPIs(upTo: 5)
        bits.setMask(port)
        bits.setMask(port + 1)
        XCTAssertEqual(fixture.unmask(domU, port), ReturnValue.ok)
        XCTAssertEqual(bits.maskWord(0), 1 << UInt64(port + 1))
        XCTAssertEqual(bits.selector(), 0)
        XCTAssertEqual(bits.upcallPending(), 0)
        XCTAssertEqual(fixture.unmask(domU, 40), ReturnValue.ok, "a free port that exists may be unmasked")
    }

    func testEventsGoToTheNotifiedVCPUsVCPUInfo() {
        domU.vcpus.append(VCPU(domainID: domU.id, index: 1))
        domU.vcpus[1].upcallVector = Self.upcallVector
        let (_, port) = fixture.bindInterProcessor(domU, vcpu: 1)
        XCTAssertEqual(fixture.send(domU, port), ReturnValue.ok)
        XCTAssertEqual(bits.selector(vcpu: 0), 0)
        XCTAssertEqual(bits.upcallPending(vcpu: 0), 0)
        XCTAssertEqual(bits.selector(vcpu: 1), 1)
        XCTAssertEqual(bits.upcallPending(vcpu: 1), 1)
        XCTAssertFalse(upcallRequested(domU.vcpus[0]))
        XCTAssertTrue(upcallRequested(domU.vcpus[1]))
    }

    /// After VCPUOP_register_vcpu_info the selector and upcall bits go to the
    /// guest's own page; the pending bits stay in shared_info.
    func testARegisteredVCPUInfoGetsTheSelector() {
        let port = openIPIs(upTo: 3)
        let address: UInt64 = 0x5000
        domU.moveVCPUInfo(of: vcpu, to: address, clock: SystemTime.clock)
        XCTAssertTrue(domU.memory.write([UInt8](repeating: 0, count: 16), at: address))   // the guest starts clean
        XCTAssertEqual(fixture.send(domU, port), ReturnValue.ok)
        XCTAssertTrue(bits.isPending(port))
        XCTAssertEqual(domU.memory.bytes(at: address, count: 1), [1])
        XCTAssertEqual(domU.memory.load(UInt64.self, at: address + 8), 1)
        XCTAssertEqual(bits.selector(), 0, "the old slot is not used")
    }

    func testPendingBitsWaitForTheGuestToMapSharedInfo() throws {
        let (offered, local) = fixture.connectDom0AndDomU()
        bits.setPending(local, false)
        XCTAssertEqual(fixture.send(fixture.dom0, offered), ReturnValue.ok)
        XCTAssertTrue(bits.isPending(local))
        XCTAssertNil(domU.sharedInfo?.guestFrame, "not mapped yet")
        try SharedInfoMapping.map(domU, at: 0x90, frames: fixture.hypervisor.frames)
        // What the guest reads at guest-physical 0x90000 + 2048, through its
        // nested page table.
        let host = try XCTUnwrap(domU.memory.nestedPageTable.translate(0x90 * 4096 + 2048))
        XCTAssertEqual(host, try XCTUnwrap(domU.sharedInfo).hostFrame + 2048)
        XCTAssertEqual(fixture.fake.load64(host), 1 << UInt64(local))
    }

    func testABlockedDomainWakesWhenAnEventArrives() {
        let (offered, _) = fixture.connectDom0AndDomU()
        domU.state = .blocked
        bits.setPending(1, false)
        XCTAssertEqual(fixture.send(fixture.dom0, offered), ReturnValue.ok)
        XCTAssertEqual(domU.state, .running)
        XCTAssertEqual(domU.scheduling.wakeUps, 1)
    }

    func testAPausedDomainStaysPaused() {
        let (offered, _) = fixture.connectDom0AndDomU()
        domU.state = .paused
        bits.setPending(1, false)
        XCTAssertEqual(fixture.send(fixture.dom0, offered), ReturnValue.ok)
        XCTAssertEqual(domU.state, .paused)
        XCTAssertTrue(bits.isPending(1))
    }

    // MARK: - SCHEDOP_poll

    private func poll(ports: [UInt32]) -> UInt64 {
        fixture.enterLongMode()
        XCTAssertTrue(domU.memory.write(ports.flatMap { le($0) }, at: 0x6100))
        domU.memory.put(sched_poll(ports: 0x6100, nr_ports: UInt32(ports.count), timeout: 0), at: 0x6000)
        return fixture.call(domU, __HYPERVISOR_sched_op, UInt64(SCHEDOP_poll), 0x6000)
    }

    func testPollOnAPendingPortReturnsAtOnce() {
        let port = openIPIs(upTo: 2)
        bits.setMask(port)
        XCTAssertEqual(fixture.send(domU, port), ReturnValue.ok)
        XCTAssertEqual(poll(ports: [1, port]), ReturnValue.ok)
        XCTAssertEqual(domU.state, .running)
    }

    func testPollOnPortsNotPendingBlocks() {
        let port = openIPIs(upTo: 2)
        XCTAssertEqual(poll(ports: [port, 4096, UInt32.max]), ReturnValue.ok)
        XCTAssertEqual(domU.state, .blocked)
        XCTAssertEqual(fixture.send(domU, port), ReturnValue.ok)    // as if another vCPU sent it
        XCTAssertEqual(domU.state, .running)
    }

    // MARK: - VIRQs

    func testAVIRQNobodyBoundIsNotRaised() {
        _ = openIPIs(upTo: 1)
        XCTAssertFalse(domU.sendVirtualInterrupt(.timer))
        XCTAssertFalse(domU.sendVirtualInterrupt(.domainException))
        XCTAssertEqual(bits.pendingWord(0), 0)
    }

    func testTheTimerRaisesVIRQTimerWhenBound() {
        let (_, port) = fixture.bindVirtualInterrupt(domU, VIRQ_TIMER)
        domU.deliverTimerEvent(to: vcpu)
        XCTAssertTrue(bits.isPending(port))
        XCTAssertEqual(bits.selector(), 1)
        XCTAssertEqual(bits.upcallPending(), 1)
        XCTAssertTrue(upcallRequested(vcpu))
    }

    /// Without VIRQ_TIMER the timer only marks vcpu_info, as before event
    /// channels: no port, no upcall request.
    func testTheTimerWithoutVIRQTimerMarksVCPUInfoOnly() {
        _ = openIPIs(upTo: 1)
        domU.deliverTimerEvent(to: vcpu)
        XCTAssertEqual(bits.pendingWord(0), 0)
        XCTAssertEqual(bits.selector(), 0)
        XCTAssertEqual(bits.upcallPending(), 1)
        XCTAssertFalse(upcallRequested(vcpu))
    }

    func testDomainExceptionGoesToDom0() {
        let dom0 = fixture.dom0
        let (_, port) = fixture.bindVirtualInterrupt(dom0, VIRQ_DOM_EXC)
        domU.state = .shutdown(reason: ShutdownReasonCode.powerOff)
        fixture.hypervisor.domainFinished(domU)
        XCTAssertTrue(fixture.eventBits(dom0).isPending(port))
        XCTAssertNil(domU.sharedInfo, "nothing for the domain that ended")
    }
}
