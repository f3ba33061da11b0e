import XCTest
import XenPublic
@testable import KernelCore

/// The upcall (Domain+Upcall): HVM_PARAM_CALLBACK_IRQ chooses the vector;
/// the vector is owed while evtchn_upcall_pending is set; the run loop asks
/// the backend to inject it before the vCPU runs; HLT and SCHEDOP_block do
/// not sleep while it is owed.
final class UpcallDeliveryTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var domU: Domain { fixture.domU }
    private var bits: GuestEventBits { fixture.eventBits(domU) }
    private let argument: UInt64 = 0x3000
    private let vectorCallback: UInt64 = 0x0200_0000_0000_00F3     // type 2, vector F3h

    override func setUp() { fixture = HypervisorFixture() }
    override func tearDown() { fixture.release() }

    private func setCallback(_ value: UInt64) -> UInt64 {
        var parameter = xen_hvm_param(domid: UInt16(DOMID_SELF), pad: 0, index: UInt32(HVM_PARAM_CALLBACK_IRQ), value: value)
        XCTAssertTrue(withUnsafeBytes(of: &parameter) { domU.memory.write($0, at: argument) })
        return fixture.call(domU, __HYPERVISOR_hvm_op, UInt64(HVMOP_set_param), argument)
    }

    /// An IPI port of domU's, sent to: its vCPU's upcall is pending.
    private func raiseAnEvent() {
        let port = fixture.bindInterProcessor(domU).1
        XCTAssertEqual(fixture.send(domU, port), ReturnValue.ok)
        XCTAssertEqual(bits.upcallPending(), 1)
    }

    func testCallbackParameterValues() {
        XCTAssertEqual(HVMCallback(parameter: 0), HVMCallback.none)
        XCTAssertEqual(HVMCallback(parameter: vectorCallback)?.vector, 0xF3)
        XCTAssertNil(HVMCallback(parameter: 5), "type 0, an ISA IRQ: no interrupt controller to deliver it")
        XCTAssertNil(HVMCallback(parameter: 0x0100_0000_0000_0800), "type 1, a PCI INTx line")
        XCTAssertNil(HVMCallback(parameter: 0x0200_0000_0000_001F), "an exception vector")
        XCTAssertNil(HVMCallback(parameter: 0x0200_0000_0001_00F3), "bits beside the vector")
        XCTAssertNil(HVMCallback(parameter: 0x0300_0000_0000_00F3), "type 3")
    }

    func testSetParamChoosesTheVectorAndRefusesWhatCannotBeDelivered() {
        XCTAssertEqual(setCallback(vectorCallback), 0)
        XCTAssertEqual(domU.eventCallback.vector, 0xF3)
        XCTAssertEqual(setCallback(7), ReturnValue.EINVAL)
        XCTAssertEqual(domU.eventCallback.vector, 0xF3, "a refused value changes nothing")
        XCTAssertEqual(domU.hvmParameters[Int(HVM_PARAM_CALLBACK_IRQ)], vectorCallback)
        XCTAssertEqual(setCallback(0), 0)
        XCTAssertNil(domU.eventCallback.vector)
    }

    func testTheVectorIsOwedWhileUpcallPendingIsSet() {
        let vcpu = domU.vcpus[0]
        raiseAnEvent()
        XCTAssertNil(domU.pendingInterrupt(for: vcpu), "no callback chosen: nothing to inject")
        XCTAssertEqual(setCallback(vectorCallback), 0)
        XCTAssertEqual(domU.pendingInterrupt(for: vcpu), .upcall(0xF3))
        XCTAssertEqual(domU.pendingInterrupt(for: vcpu), .upcall(0xF3), "a level: still owed until the guest clears it")
        bits.acknowledge()
        XCTAssertNil(domU.pendingInterrupt(for: vcpu))
    }

    func testHaltDoesNotSleepWhileAnUpcallIsOwed() {
        XCTAssertEqual(setCallback(vectorCallback), 0)
        raiseAnEvent()
        fixture.backend.state.rflags = 0x202
        domU.state = .running
        fixture.handler(domU).handle(.make(.halt, length: 1))
        XCTAssertEqual(domU.state, .running)
        bits.acknowledge()
        fixture.handler(domU).handle(.make(.halt, length: 1))
        XCTAssertEqual(domU.state, .blocked, "nothing owed any more: HLT sleeps")
    }

    func testBlockDoesNotSleepWhileAnUpcallIsOwed() {
        XCTAssertEqual(setCallback(vectorCallback), 0)
        raiseAnEvent()
        domU.state = .running
        XCTAssertEqual(fixture.call(domU, __HYPERVISOR_sched_op, UInt64(SCHEDOP_block), 0), 0)
        XCTAssertEqual(domU.state, .running)
    }

    // MARK: - The local APIC's vectors

    /// A software-enabled APIC with `vector` pending.
    private func pendInAPIC(_ vector: UInt8) {
        let vcpu = domU.vcpus[0]
        vcpu.localAPIC.spuriousInterruptVector |= VirtualAPIC.softwareEnable
        vcpu.localAPIC.requestInterrupt(vector: vector)
    }

    func testAnAPICVectorIsInjectedAndMovesToInService() {
        pendInAPIC(0x41)
        let vcpu = domU.vcpus[0]
        XCTAssertEqual(domU.pendingInterrupt(for: vcpu), .localAPIC(0x41))
        domU.deliverPendingInterrupt(to: vcpu, backend: fixture.backend)
        XCTAssertEqual(fixture.backend.injectedInterrupts, [0x41])
        XCTAssertNil(domU.pendingInterrupt(for: vcpu), "in service now: one injection per request")
        XCTAssertTrue(vcpu.localAPIC.inService.contains(0x41))
    }

    func testAnAPICVectorWaitsInTheIRRWhileTheGuestCannotTakeIt() {
        pendInAPIC(0x41)
        let vcpu = domU.vcpus[0]
        fixture.backend.guestTakesInterrupts = false
        domU.deliverPendingInterrupt(to: vcpu, backend: fixture.backend)
        XCTAssertEqual(fixture.backend.interruptWindowRequests, 1)
        XCTAssertEqual(domU.pendingInterrupt(for: vcpu), .localAPIC(0x41), "still requested")
    }

    func testTheUpcallGoesBeforeAnAPICVector() {
        XCTAssertEqual(setCallback(vectorCallback), 0)
        raiseAnEvent()
        pendInAPIC(0xFE)
        XCTAssertEqual(domU.pendingInterrupt(for: domU.vcpus[0]), .upcall(0xF3))
    }

    // MARK: - A per-vCPU upcall vector (HVMOP_set_evtchn_upcall_vector)

    private func setUpcallVector(vcpu: UInt32, _ vector: UInt8) -> UInt64 {
        var request = xen_hvm_evtchn_upcall_vector(vcpu: vcpu, vector: vector)
        XCTAssertTrue(withUnsafeBytes(of: &request) { domU.memory.write($0, at: argument) })
        return fixture.call(domU, __HYPERVISOR_hvm_op, UInt64(HVMOP_set_evtchn_upcall_vector), argument)
    }

    func testTheUpcallVectorIsCheckedAsXenChecksIt() {
        XCTAssertEqual(setUpcallVector(vcpu: 0, 0x0F), ReturnValue.EINVAL, "an exception vector")
        XCTAssertEqual(setUpcallVector(vcpu: 1, 0xF3), ReturnValue.ENOENT, "domU has one vCPU")
        XCTAssertNil(domU.vcpus[0].upcallVector, "a refused request changes nothing")
        XCTAssertEqual(fixture.call(domU, __HYPERVISOR_hvm_op, UInt64(HVMOP_set_evtchn_upcall_vector), 0xDEAD_0000),
                       ReturnValue.EFAULT)
        XCTAssertEqual(setUpcallVector(vcpu: 0, 0x10), 0, "the lowest vector Xen takes")
        XCTAssertEqual(setUpcallVector(vcpu: 0, 0xF3), 0)
        XCTAssertEqual(domU.vcpus[0].upcallVector, 0xF3)
    }

    /// The edge: one APIC request per 0-to-1 change of evtchn_upcall_pending,
    /// an EOI to end it, and the domain-wide callback no longer used.
    func testAPerVCPUVectorComesThroughTheLocalAPICOncePerEdge() {
        let vcpu = domU.vcpus[0]
        vcpu.localAPIC.spuriousInterruptVector |= VirtualAPIC.softwareEnable
        XCTAssertEqual(setCallback(vectorCallback), 0)
        XCTAssertEqual(setUpcallVector(vcpu: 0, 0xE0), 0)
        raiseAnEvent()
        XCTAssertEqual(domU.pendingInterrupt(for: vcpu), .localAPIC(0xE0), "not the callback's F3h")
        domU.deliverPendingInterrupt(to: vcpu, backend: fixture.backend)
        XCTAssertEqual(fixture.backend.injectedInterrupts, [0xE0])
        XCTAssertNil(domU.pendingInterrupt(for: vcpu), "an edge: injected once, though upcall_pending is still set")

        raiseAnEvent()                                       // upcall_pending already 1: no new edge
        XCTAssertFalse(vcpu.localAPIC.interruptRequests.contains(0xE0))
        vcpu.localAPIC.endOfInterrupt()
        bits.acknowledge()
        raiseAnEvent()
        XCTAssertEqual(domU.pendingInterrupt(for: vcpu), .localAPIC(0xE0), "the next edge")
    }

    func testAVectorChosenWhileAnUpcallIsPendingIsRequestedAtOnce() {
        raiseAnEvent()
        XCTAssertEqual(setUpcallVector(vcpu: 0, 0xE0), 0)
        XCTAssertTrue(domU.vcpus[0].localAPIC.interruptRequests.contains(0xE0))
    }

    /// Linux writes GSI 1 to HVM_PARAM_CALLBACK_IRQ after choosing vCPU 0's
    /// vector; before that, a GSI is refused as undeliverable.
    func testAGSICallbackIsTakenOnlyBesidePerVCPUVectors() {
        XCTAssertEqual(setCallback(1), ReturnValue.EINVAL)
        XCTAssertEqual(setUpcallVector(vcpu: 0, 0xF3), 0)
        XCTAssertEqual(setCallback(1), 0)
        XCTAssertNil(domU.eventCallback.vector)
        XCTAssertEqual(domU.hvmParameters[Int(HVM_PARAM_CALLBACK_IRQ)], 1)
        XCTAssertEqual(setCallback(0x0100_0000_0000_0800), ReturnValue.EINVAL, "a PCI INTx line, still")
    }
}
