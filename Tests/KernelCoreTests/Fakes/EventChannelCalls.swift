import XCTest
import XenPublic
@testable import KernelCore

/// event_channel_op as a guest makes it, and the event bits as a guest sees
/// them: shared_info and vcpu_info read as bytes at Xen's offsets (written
/// here by hand on purpose, so that they check the C layout too).
extension HypervisorFixture {
    /// event_channel_op(command, &request) as `domain`, the request at
    /// GuestBuffer.eventChannel: the return value, and the struct as the
    /// hypervisor left it.
    func eventChannelOp<T>(_ domain: Domain, _ command: Int32, _ request: T,
                           file: StaticString = #filePath, line: UInt = #line) -> (result: UInt64, reply: T) {
        domain.memory.put(request, at: GuestBuffer.eventChannel, file: file, line: line)
        let result = call(domain, __HYPERVISOR_event_channel_op, UInt64(UInt32(bitPattern: command)),
                          GuestBuffer.eventChannel)
        return (result, domain.memory.load(T.self, at: GuestBuffer.eventChannel))
    }

    /// EVTCHNOP_alloc_unbound; the new port, or nil (and a failure).
    func allocateUnbound(_ caller: Domain, in dom: UInt16 = HypervisorFixture.domidSelf, remote: UInt16,
                         file: StaticString = #filePath, line: UInt = #line) -> UInt32? {
        let (result, reply) = eventChannelOp(caller, EVTCHNOP_alloc_unbound,
                                             evtchn_alloc_unbound(dom: dom, remote_dom: remote, port: 0))
        XCTAssertEqual(result, ReturnValue.ok, "alloc_unbound", file: file, line: line)
        return result == ReturnValue.ok ? reply.port : nil
    }

    /// EVTCHNOP_bind_interdomain: the result and the local port.
    func bindInterdomain(_ caller: Domain, remote: UInt16, port: UInt32) -> (UInt64, UInt32) {
        let (result, reply) = eventChannelOp(caller, EVTCHNOP_bind_interdomain,
                                             evtchn_bind_interdomain(remote_dom: remote, remote_port: port, local_port: 0))
        return (result, reply.local_port)
    }

    /// dom0 offers a port to domU, which connects: (dom0's port, domU's port).
    func connectDom0AndDomU(file: StaticString = #filePath, line: UInt = #line) -> (UInt32, UInt32) {
        let offered = allocateUnbound(dom0, remote: domU.id, file: file, line: line) ?? 0
        let (result, local) = bindInterdomain(domU, remote: dom0.id, port: offered)
        XCTAssertEqual(result, ReturnValue.ok, "bind_interdomain", file: file, line: line)
        return (offered, local)
    }

    func bindVirtualInterrupt(_ caller: Domain, _ virq: Int32, vcpu: UInt32 = 0) -> (UInt64, UInt32) {
        let (result, reply) = eventChannelOp(caller, EVTCHNOP_bind_virq,
                                             evtchn_bind_virq(virq: UInt32(bitPattern: virq), vcpu: vcpu, port: 0))
        return (result, reply.port)
    }

    func bindInterProcessor(_ caller: Domain, vcpu: UInt32 = 0) -> (UInt64, UInt32) {
        let (result, reply) = eventChannelOp(caller, EVTCHNOP_bind_ipi, evtchn_bind_ipi(vcpu: vcpu, port: 0))
        return (result, reply.port)
    }

    func send(_ caller: Domain, _ port: UInt32) -> UInt64 {
        eventChannelOp(caller, EVTCHNOP_send, evtchn_send(port: port)).result
    }

    func close(_ caller: Domain, _ port: UInt32) -> UInt64 {
        eventChannelOp(caller, EVTCHNOP_close, evtchn_close(port: port)).result
    }

    func unmask(_ caller: Domain, _ port: UInt32) -> UInt64 {
        eventChannelOp(caller, EVTCHNOP_unmask, evtchn_unmask(port: port)).result
    }

    /// EVTCHNOP_status of `port` in `dom`, as `caller`.
    func status(_ caller: Domain, _ port: UInt32, in dom: UInt16 = HypervisorFixture.domidSelf) -> (UInt64, evtchn_status) {
        var request = evtchn_status()
        request.dom = dom
        request.port = port
        return eventChannelOp(caller, EVTCHNOP_status, request)
    }
}

/// A domain's event bits as its guest reads them.
struct GuestEventBits {
    let domain: Domain
    let memory: FakePhysicalMemory

    static let pendingOffset: UInt64 = 2048
    static let maskOffset: UInt64 = 2560

    private var page: UInt64 {
        guard let page = domain.sharedInfo else { XCTFail("no shared_info page"); return 0 }
        return page.hostFrame
    }

    /// Word `index` of evtchn_pending.
    func pendingWord(_ index: UInt64) -> UInt64 { memory.load64(page + Self.pendingOffset + 8 * index) }
    func maskWord(_ index: UInt64) -> UInt64 { memory.load64(page + Self.maskOffset + 8 * index) }

    func isPending(_ port: UInt32) -> Bool { pendingWord(UInt64(port / 64)) & (1 << UInt64(port % 64)) != 0 }
    func isMasked(_ port: UInt32) -> Bool { maskWord(UInt64(port / 64)) & (1 << UInt64(port % 64)) != 0 }

    /// The guest masks a port, or clears a pending bit it has handled.
    func setMask(_ port: UInt32, _ on: Bool = true) { setBit(Self.maskOffset, port, on) }
    func setPending(_ port: UInt32, _ on: Bool) { setBit(Self.pendingOffset, port, on) }

    /// vcpu_info in shared_info: upcall_pending at 0, pending_sel at 8 (64 bytes each).
    func selector(vcpu: Int = 0) -> UInt64 { memory.load64(page + UInt64(64 * vcpu) + 8) }
    func upcallPending(vcpu: Int = 0) -> UInt8 { memory.bytes(at: page + UInt64(64 * vcpu), count: 1)[0] }

    /// The guest's acknowledgement: clears upcall_pending and the selector.
    func acknowledge(vcpu: Int = 0) {
        memory.physicalMemory.pointer(page + UInt64(64 * vcpu)).storeBytes(of: 0, as: UInt8.self)
        memory.physicalMemory.pointer(page + UInt64(64 * vcpu) + 8).storeBytes(of: 0, as: UInt64.self)
    }

    private func setBit(_ offset: UInt64, _ port: UInt32, _ on: Bool) {
        let address = page + offset + 8 * UInt64(port / 64)
        let bit: UInt64 = 1 << UInt64(port % 64)
        let word = memory.load64(address)
        memory.physicalMemory.pointer(address).storeBytes(of: on ? word | bit : word & ~bit, as: UInt64.self)
    }
}

extension HypervisorFixture {
    func eventBits(_ domain: Domain) -> GuestEventBits { GuestEventBits(domain: domain, memory: fake) }
}

/// The one error only event channels meet (the others are in
/// HypervisorFixture.swift and DomainControlRecords.swift).
extension ReturnValue {
    static let ENOENT = UInt64(bitPattern: -2)
}
