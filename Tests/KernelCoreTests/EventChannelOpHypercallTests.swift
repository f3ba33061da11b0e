import XCTest
import XenPublic
@testable import KernelCore

/// event_channel_op through the dispatcher, with its structs in guest
/// memory: each sub-op's results, OUT fields and Xen's error codes.
final class EventChannelOpHypercallTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var dom0: Domain { fixture.dom0 }
    private var domU: Domain { fixture.domU }
    private let domidSelf = HypervisorFixture.domidSelf

    override func setUp() { fixture = HypervisorFixture() }
    override func tearDown() { fixture.release() }

    private func status(_ caller: Domain, _ port: UInt32, in dom: UInt16 = HypervisorFixture.domidSelf,
                        file: StaticString = #filePath, line: UInt = #line) -> evtchn_status {
        let (result, reply) = fixture.status(caller, port, in: dom)
        XCTAssertEqual(result, ReturnValue.ok, "status", file: file, line: line)
        return reply
    }

    private func assertUnbound(_ caller: Domain, _ port: UInt32, waitingFor remote: UInt16, vcpu: UInt32 = 0,
                               file: StaticString = #filePath, line: UInt = #line) {
        let reply = status(caller, port, file: file, line: line)
        XCTAssertEqual(reply.status, UInt32(EVTCHNSTAT_unbound), file: file, line: line)
        XCTAssertEqual(reply.u.unbound.dom, remote, file: file, line: line)
        XCTAssertEqual(reply.vcpu, vcpu, file: file, line: line)
    }

    private func assertInterdomain(_ caller: Domain, _ port: UInt32, to remote: UInt16, _ remotePort: UInt32,
                                   file: StaticString = #filePath, line: UInt = #line) {
        let reply = status(caller, port, file: file, line: line)
        XCTAssertEqual(reply.status, UInt32(EVTCHNSTAT_interdomain), file: file, line: line)
        XCTAssertEqual(reply.u.interdomain.dom, remote, file: file, line: line)
        XCTAssertEqual(reply.u.interdomain.port, remotePort, file: file, line: line)
    }

    private func assertClosed(_ caller: Domain, _ port: UInt32, file: StaticString = #filePath, line: UInt = #line) {
        let reply = status(caller, port, file: file, line: line)
        XCTAssertEqual(reply.status, UInt32(EVTCHNSTAT_closed), file: file, line: line)
        XCTAssertEqual(reply.vcpu, 0, file: file, line: line)
    }

    // MARK: - alloc_unbound

    func testAllocUnboundForItself() {
        XCTAssertEqual(fixture.allocateUnbound(domU, remote: 0), 1)
        XCTAssertEqual(fixture.allocateUnbound(domU, in: domU.id, remote: 0), 2)
        assertUnbound(domU, 1, waitingFor: 0)
        XCTAssertEqual(fixture.allocateUnbound(domU, remote: domidSelf), 3)
        assertUnbound(domU, 3, waitingFor: domU.id)              // DOMID_SELF: the caller
        XCTAssertEqual(fixture.allocateUnbound(domU, remote: 77), 4)  // any id, existing or not
        assertUnbound(domU, 4, waitingFor: 77)
    }

    func testDom0AllocatesInAnotherDomainAndSelfMeansDom0() {
        XCTAssertEqual(fixture.allocateUnbound(dom0, in: domU.id, remote: domidSelf), 1)
        assertUnbound(domU, 1, waitingFor: 0)
        assertClosed(dom0, 1)
    }

    func testAllocUnboundErrors() {
        let request = { (dom: UInt16) in evtchn_alloc_unbound(dom: dom, remote_dom: 0, port: 0) }
        XCTAssertEqual(fixture.eventChannelOp(domU, EVTCHNOP_alloc_unbound, request(0)).result, ReturnValue.EPERM)
        XCTAssertEqual(fixture.eventChannelOp(domU, EVTCHNOP_alloc_unbound, request(9)).result, ReturnValue.ESRCH)
        XCTAssertEqual(fixture.eventChannelOp(dom0, EVTCHNOP_alloc_unbound, request(9)).result, ReturnValue.ESRCH)
        let outside = fixture.call(domU, __HYPERVISOR_event_channel_op, UInt64(EVTCHNOP_alloc_unbound),
                                   GuestBuffer.outside)
        XCTAssertEqual(outside, ReturnValue.EFAULT)
        XCTAssertEqual(dom0.eventChannels.openPorts, [])
        XCTAssertEqual(domU.eventChannels.openPorts, [])
    }

    func testTheOUTFieldIsWrittenAndTheINFieldsKept() {
        let (result, reply) = fixture.eventChannelOp(domU, EVTCHNOP_alloc_unbound,
                                                     evtchn_alloc_unbound(dom: domidSelf, remote_dom: 0, port: 0xDEAD))
        XCTAssertEqual(result, ReturnValue.ok)
        XCTAssertEqual(reply.dom, domidSelf)
        XCTAssertEqual(reply.remote_dom, 0)
        XCTAssertEqual(reply.port, 1)
    }

    func testNoFrameForTheSharedInfoPageIsENOMEMAndOpensNothing() {
        XCTAssertNil(domU.sharedInfo)
        fixture.fake.remainingAllocations = 0
        XCTAssertEqual(fixture.bindInterProcessor(domU).0, ReturnValue.ENOMEM)
        XCTAssertEqual(domU.eventChannels.openPorts, [])
        fixture.fake.remainingAllocations = nil
        XCTAssertEqual(fixture.bindInterProcessor(domU).1, 1)
        XCTAssertNotNil(domU.sharedInfo, "the first port made the page")
    }

    // MARK: - bind_interdomain

    func testBindInterdomainConnectsBothEnds() {
        let (offered, local) = fixture.connectDom0AndDomU()
        XCTAssertEqual(offered, 1)
        XCTAssertEqual(local, 1)
        assertInterdomain(dom0, 1, to: domU.id, 1)
        assertInterdomain(domU, 1, to: 0, 1)
        // Events sent while the remote end was unbound were dropped: the new
        // port starts pending.
        XCTAssertTrue(fixture.eventBits(domU).isPending(1))
        XCTAssertFalse(fixture.eventBits(dom0).isPending(1))
    }

    func testTheRemoteEndKeepsItsVCPU() {
        dom0.vcpus.append(VCPU(domainID: 0, index: 1))
        let offered = fixture.allocateUnbound(dom0, remote: domU.id)!
        XCTAssertEqual(fixture.eventChannelOp(dom0, EVTCHNOP_bind_vcpu, evtchn_bind_vcpu(port: offered, vcpu: 1)).result,
                       ReturnValue.ok)
        XCTAssertEqual(fixture.bindInterdomain(domU, remote: 0, port: offered).0, ReturnValue.ok)
        XCTAssertEqual(status(dom0, offered).vcpu, 1)
        XCTAssertEqual(status(domU, 1).vcpu, 0)
    }

    func testBindInterdomainErrors() {
        let forOthers = fixture.allocateUnbound(dom0, remote: 5)!                 // waits for domain 5
        XCTAssertEqual(fixture.bindInterdomain(domU, remote: 0, port: forOthers).0, ReturnValue.EINVAL)
        XCTAssertEqual(fixture.bindInterdomain(domU, remote: 0, port: 9).0, ReturnValue.EINVAL)      // free
        XCTAssertEqual(fixture.bindInterdomain(domU, remote: 0, port: 0).0, ReturnValue.EINVAL)      // reserved
        XCTAssertEqual(fixture.bindInterdomain(domU, remote: 0, port: 5000).0, ReturnValue.EINVAL)   // beyond
        XCTAssertEqual(fixture.bindInterdomain(domU, remote: 9, port: 1).0, ReturnValue.ESRCH)
        let (_, ipi) = fixture.bindInterProcessor(dom0)
        XCTAssertEqual(fixture.bindInterdomain(domU, remote: 0, port: ipi).0, ReturnValue.EINVAL)
        let (_, local) = fixture.connectDom0AndDomU()
        XCTAssertEqual(fixture.bindInterdomain(domU, remote: 0, port: 3).0, ReturnValue.EINVAL, "already connected")
        XCTAssertEqual(domU.eventChannels.openPorts, [EventChannelPort(local)], "failed binds open nothing")
    }

    func testLoopbackThroughDomidSelf() {
        let offered = fixture.allocateUnbound(domU, remote: domidSelf)!
        let (result, local) = fixture.bindInterdomain(domU, remote: domidSelf, port: offered)
        XCTAssertEqual(result, ReturnValue.ok)
        XCTAssertEqual(local, 2)
        assertInterdomain(domU, 1, to: domU.id, 2)
        assertInterdomain(domU, 2, to: domU.id, 1)
        fixture.eventBits(domU).setPending(2, false)
        XCTAssertEqual(fixture.send(domU, 2), ReturnValue.ok)
        XCTAssertTrue(fixture.eventBits(domU).isPending(1))
        XCTAssertFalse(fixture.eventBits(domU).isPending(2))
    }

    // MARK: - send

    func testSendRaisesTheOtherEnd() {
        let (offered, local) = fixture.connectDom0AndDomU()
        XCTAssertEqual(fixture.send(domU, local), ReturnValue.ok)
        XCTAssertTrue(fixture.eventBits(dom0).isPending(offered))
        fixture.eventBits(domU).setPending(local, false)
        XCTAssertEqual(fixture.send(dom0, offered), ReturnValue.ok)
        XCTAssertTrue(fixture.eventBits(domU).isPending(local))
    }

    func testSendOnAnIPIRaisesTheSamePort() {
        let (_, port) = fixture.bindInterProcessor(domU)
        XCTAssertFalse(fixture.eventBits(domU).isPending(port))
        XCTAssertEqual(fixture.send(domU, port), ReturnValue.ok)
        XCTAssertTrue(fixture.eventBits(domU).isPending(port))
    }

    func testSendOnAnUnboundPortIsDropped() {
        let port = fixture.allocateUnbound(domU, remote: 0)!
        XCTAssertEqual(fixture.send(domU, port), ReturnValue.ok)
        XCTAssertEqual(fixture.eventBits(domU).pendingWord(0), 0)
    }

    func testSendErrors() {
        let (_, virq) = fixture.bindVirtualInterrupt(domU, VIRQ_TIMER)
        XCTAssertEqual(fixture.send(domU, virq), ReturnValue.EINVAL)
        XCTAssertEqual(fixture.send(domU, 5), ReturnValue.EINVAL)       // free
        XCTAssertEqual(fixture.send(domU, 0), ReturnValue.EINVAL)       // reserved
        XCTAssertEqual(fixture.send(domU, 64), ReturnValue.EINVAL)      // beyond
        XCTAssertEqual(fixture.eventBits(domU).pendingWord(0), 0)
    }

    // MARK: - close

    func testClosingOneEndLeavesTheOtherUnboundForTheCloser() {
        let (offered, local) = fixture.connectDom0AndDomU()
        XCTAssertEqual(fixture.close(domU, local), ReturnValue.ok)
        assertClosed(domU, local)
        assertUnbound(dom0, offered, waitingFor: domU.id)
        XCTAssertEqual(fixture.send(dom0, offered), ReturnValue.ok)       // dropped
        XCTAssertFalse(fixture.eventBits(domU).isPending(local), "closing cleared the pending bit")
        // The same domain may connect again.
        let (again, newLocal) = fixture.bindInterdomain(domU, remote: 0, port: offered)
        XCTAssertEqual(again, ReturnValue.ok)
        XCTAssertEqual(newLocal, local)
        assertInterdomain(dom0, offered, to: domU.id, newLocal)
    }

    func testClosingTheOffererLeavesTheConnectorUnbound() {
        let (offered, local) = fixture.connectDom0AndDomU()
        XCTAssertEqual(fixture.close(dom0, offered), ReturnValue.ok)
        assertClosed(dom0, offered)
        assertUnbound(domU, local, waitingFor: 0)
    }

    func testCloseErrors() {
        XCTAssertEqual(fixture.close(domU, 0), ReturnValue.EINVAL)
        XCTAssertEqual(fixture.close(domU, 1), ReturnValue.EINVAL)
        XCTAssertEqual(fixture.close(domU, 99), ReturnValue.EINVAL)
        let (_, port) = fixture.bindInterProcessor(domU)
        XCTAssertEqual(fixture.close(domU, port), ReturnValue.ok)
        XCTAssertEqual(fixture.close(domU, port), ReturnValue.EINVAL, "twice")
    }

    func testClosingAVIRQFreesItsBinding() {
        let (_, first) = fixture.bindVirtualInterrupt(domU, VIRQ_TIMER)
        XCTAssertEqual(fixture.close(domU, first), ReturnValue.ok)
        XCTAssertNil(domU.vcpus[0].virtualInterruptPorts[.timer])
        let (result, second) = fixture.bindVirtualInterrupt(domU, VIRQ_TIMER)
        XCTAssertEqual(result, ReturnValue.ok)
        XCTAssertEqual(second, first)
    }

    // MARK: - bind_virq, bind_ipi

    func testBindVirqPerVCPUAndGlobal() {
        domU.vcpus.append(VCPU(domainID: domU.id, index: 1))
        XCTAssertEqual(fixture.bindVirtualInterrupt(domU, VIRQ_TIMER, vcpu: 0).1, 1)
        XCTAssertEqual(fixture.bindVirtualInterrupt(domU, VIRQ_TIMER, vcpu: 1).1, 2)
        XCTAssertEqual(fixture.bindVirtualInterrupt(domU, VIRQ_DOM_EXC, vcpu: 0).1, 3)
        let timer1 = status(domU, 2)
        XCTAssertEqual(timer1.status, UInt32(EVTCHNSTAT_virq))
        XCTAssertEqual(timer1.u.virq, UInt32(VIRQ_TIMER))
        XCTAssertEqual(timer1.vcpu, 1)
        XCTAssertEqual(status(domU, 3).u.virq, UInt32(VIRQ_DOM_EXC))
        XCTAssertEqual(domU.vcpus[1].virtualInterruptPorts[.timer], EventChannelPort(2))
        XCTAssertEqual(domU.vcpus[0].virtualInterruptPorts[.domainException], EventChannelPort(3))
    }

    func testBindVirqErrorsInXensOrder() {
        XCTAssertEqual(fixture.bindVirtualInterrupt(domU, NR_VIRQS).0, ReturnValue.EINVAL)
        XCTAssertEqual(fixture.bindVirtualInterrupt(domU, -1, vcpu: 7).0, ReturnValue.EINVAL)
        XCTAssertEqual(fixture.bindVirtualInterrupt(domU, VIRQ_DOM_EXC, vcpu: 7).0, ReturnValue.EINVAL,
                       "a global VIRQ is bound on vCPU 0, checked before the vCPU")
        XCTAssertEqual(fixture.bindVirtualInterrupt(domU, VIRQ_TIMER, vcpu: 1).0, ReturnValue.ENOENT)
        XCTAssertEqual(fixture.bindVirtualInterrupt(domU, VIRQ_TIMER, vcpu: UInt32.max).0, ReturnValue.ENOENT)
        XCTAssertEqual(fixture.bindVirtualInterrupt(domU, VIRQ_TIMER).0, ReturnValue.ok)
        XCTAssertEqual(fixture.bindVirtualInterrupt(domU, VIRQ_TIMER).0, ReturnValue.EEXIST)
        XCTAssertEqual(fixture.bindVirtualInterrupt(domU, VIRQ_CONSOLE).0, ReturnValue.ok)
        XCTAssertEqual(fixture.bindVirtualInterrupt(domU, VIRQ_CONSOLE).0, ReturnValue.EEXIST)
        XCTAssertEqual(domU.eventChannels.openPorts.count, 2)
    }

    func testBindIPI() {
        domU.vcpus.append(VCPU(domainID: domU.id, index: 1))
        XCTAssertEqual(fixture.bindInterProcessor(domU, vcpu: 2).0, ReturnValue.ENOENT)
        let (result, port) = fixture.bindInterProcessor(domU, vcpu: 1)
        XCTAssertEqual(result, ReturnValue.ok)
        let reply = status(domU, port)
        XCTAssertEqual(reply.status, UInt32(EVTCHNSTAT_ipi))
        XCTAssertEqual(reply.vcpu, 1)
    }

    // MARK: - bind_vcpu

    private func bindVCPU(_ caller: Domain, _ port: UInt32, _ vcpu: UInt32) -> UInt64 {
        fixture.eventChannelOp(caller, EVTCHNOP_bind_vcpu, evtchn_bind_vcpu(port: port, vcpu: vcpu)).result
    }

    func testBindVCPUMovesOnlyWhatMayMove() {
        domU.vcpus.append(VCPU(domainID: domU.id, index: 1))
        let unbound = fixture.allocateUnbound(domU, remote: 0)!
        let (_, global) = fixture.bindVirtualInterrupt(domU, VIRQ_DOM_EXC)
        let (_, timer) = fixture.bindVirtualInterrupt(domU, VIRQ_TIMER)
        let (_, ipi) = fixture.bindInterProcessor(domU)
        let offered = fixture.allocateUnbound(dom0, remote: domU.id)!
        let (_, interdomain) = fixture.bindInterdomain(domU, remote: 0, port: offered)
        for port in [unbound, global, interdomain] {
            XCTAssertEqual(bindVCPU(domU, port, 1), ReturnValue.ok)
            XCTAssertEqual(status(domU, port).vcpu, 1)
        }
        XCTAssertEqual(bindVCPU(domU, timer, 1), ReturnValue.EINVAL)
        XCTAssertEqual(bindVCPU(domU, ipi, 1), ReturnValue.EINVAL)
        XCTAssertEqual(bindVCPU(domU, 30, 1), ReturnValue.EINVAL)         // free
        XCTAssertEqual(bindVCPU(domU, 5000, 1), ReturnValue.EINVAL)
        XCTAssertEqual(bindVCPU(domU, 5000, 2), ReturnValue.ENOENT, "the vCPU is checked first")
        XCTAssertEqual(bindVCPU(domU, unbound, 2), ReturnValue.ENOENT)
        XCTAssertEqual(status(domU, timer).vcpu, 0)
        // The global VIRQ's binding stays on vCPU 0; its events go to vCPU 1.
        XCTAssertEqual(domU.vcpus[0].virtualInterruptPorts[.domainException], EventChannelPort(global))
        XCTAssertTrue(domU.sendVirtualInterrupt(.domainException))
        XCTAssertNotEqual(fixture.eventBits(domU).selector(vcpu: 1) & 1, 0)
    }

    func testAReopenedPortStartsOnVCPUZero() {
        domU.vcpus.append(VCPU(domainID: domU.id, index: 1))
        let port = fixture.allocateUnbound(domU, remote: 0)!
        XCTAssertEqual(bindVCPU(domU, port, 1), ReturnValue.ok)
        XCTAssertEqual(fixture.close(domU, port), ReturnValue.ok)
        XCTAssertEqual(fixture.allocateUnbound(domU, remote: 0), port)
        XCTAssertEqual(status(domU, port).vcpu, 0)
    }

    // MARK: - status

    func testStatusOfPortsThatAreNotOpen() {
        assertClosed(domU, 0)
        assertClosed(domU, 63)
        XCTAssertEqual(fixture.status(domU, 64).0, ReturnValue.EINVAL)
    }

    func testStatusOfAnotherDomainInXensOrder() {
        let port = fixture.allocateUnbound(domU, remote: 0)!
        let (result, reply) = fixture.status(dom0, port, in: domU.id)         // dom0 may look
        XCTAssertEqual(result, ReturnValue.ok)
        XCTAssertEqual(reply.status, UInt32(EVTCHNSTAT_unbound))
        XCTAssertEqual(reply.u.unbound.dom, 0)
        assertClosed(dom0, port)                                               // its own port 1 is free
        XCTAssertEqual(fixture.status(domU, 1, in: 0).0, ReturnValue.EPERM)
        XCTAssertEqual(fixture.status(domU, 5000, in: 0).0, ReturnValue.EINVAL, "the port before the permission")
        XCTAssertEqual(fixture.status(domU, 1, in: 9).0, ReturnValue.ESRCH)
    }

    func testStatusZeroesWhatTheStateDoesNotUse() {
        let port = fixture.allocateUnbound(domU, remote: 0)!
        var request = evtchn_status()
        request.dom = domidSelf
        request.port = port
        request.status = 0xFFFF_FFFF
        request.vcpu = 0xFFFF_FFFF
        request.u.interdomain.dom = 0xFFFF
        request.u.interdomain.port = 0xFFFF_FFFF
        let (result, reply) = fixture.eventChannelOp(domU, EVTCHNOP_status, request)
        XCTAssertEqual(result, ReturnValue.ok)
        XCTAssertEqual(reply.status, UInt32(EVTCHNSTAT_unbound))
        XCTAssertEqual(reply.vcpu, 0)
        XCTAssertEqual(reply.u.unbound.dom, 0)
        XCTAssertEqual(reply.u.interdomain.port, 0, "zeroed")
        let raw = domU.memory.bytes(at: GuestBuffer.eventChannel, count: MemoryLayout<evtchn_status>.size)
        assertBytesEqual(Array(raw[16...]), [0, 0, 0, 0, 0, 0, 0, 0], "u")
    }

    // MARK: - reset

    private func reset(_ caller: Domain, _ dom: UInt16) -> UInt64 {
        fixture.eventChannelOp(caller, EVTCHNOP_reset, evtchn_reset(dom: dom)).result
    }

    func testResetClosesEveryPortAndLeavesRemoteEndsUnbound() {
        let (offered, _) = fixture.connectDom0AndDomU()
        _ = fixture.bindVirtualInterrupt(domU, VIRQ_TIMER)
        _ = fixture.bindInterProcessor(domU)
        XCTAssertEqual(domU.eventChannels.openPorts.count, 3)
        XCTAssertEqual(reset(domU, domidSelf), ReturnValue.ok)
        XCTAssertEqual(domU.eventChannels.openPorts, [])
        XCTAssertNil(domU.vcpus[0].virtualInterruptPorts[.timer])
        XCTAssertEqual(fixture.eventBits(domU).pendingWord(0), 0)
        assertUnbound(dom0, offered, waitingFor: domU.id)
    }

    func testResetOfAnotherDomain() {
        _ = fixture.bindInterProcessor(domU)
        XCTAssertEqual(reset(domU, 0), ReturnValue.EPERM)
        XCTAssertEqual(reset(dom0, 9), ReturnValue.ESRCH)
        XCTAssertEqual(reset(dom0, domU.id), ReturnValue.EINVAL, "domU runs")
        XCTAssertEqual(domU.eventChannels.openPorts.count, 1)
        domU.state = .paused
        XCTAssertEqual(reset(dom0, domU.id), ReturnValue.ok)
        XCTAssertEqual(domU.eventChannels.openPorts, [])
        _ = fixture.bindInterProcessor(domU)
        XCTAssertEqual(fixture.eventChannelOp(dom0, EVTCHNOP_reset_cont, evtchn_reset(dom: domU.id)).result, ReturnValue.ok)
        XCTAssertEqual(domU.eventChannels.openPorts, [])
    }

    // MARK: - What is not offered

    func testFIFOAndPhysicalIRQsAreENOSYS() {
        for command in [EVTCHNOP_init_control, EVTCHNOP_expand_array, EVTCHNOP_set_priority, EVTCHNOP_bind_pirq, 15, 99] {
            XCTAssertEqual(fixture.call(domU, __HYPERVISOR_event_channel_op, UInt64(command), GuestBuffer.outside),
                           ReturnValue.ENOSYS, "command \(command)")
        }
        XCTAssertEqual(fixture.call(domU, __HYPERVISOR_event_channel_op, 1 << 32 | UInt64(EVTCHNOP_send), 0),
                       ReturnValue.ENOSYS)
    }

    func testEverySubOpReadsItsStructThroughCheckedMemory() {
        for command in [EVTCHNOP_bind_interdomain, EVTCHNOP_bind_virq, EVTCHNOP_close, EVTCHNOP_send, EVTCHNOP_status,
                        EVTCHNOP_alloc_unbound, EVTCHNOP_bind_ipi, EVTCHNOP_bind_vcpu, EVTCHNOP_unmask, EVTCHNOP_reset] {
            XCTAssertEqual(fixture.call(domU, __HYPERVISOR_event_channel_op, UInt64(command), GuestBuffer.outside),
                           ReturnValue.EFAULT, "command \(command)")
        }
    }

    func testTheHypercallIsCountedUnderItsName() {
        XCTAssertEqual(HypercallTable.name(of: UInt64(__HYPERVISOR_event_channel_op)), "event_channel_op")
    }
}
