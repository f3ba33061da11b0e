import XenPublic

/// event_channel_op(cmd, arg): Xen's event channels, 2-level ABI
/// (xen_event_channel.h). `arg` points at the sub-op's struct, read once;
/// on success the struct is written back whole, its OUT fields filled (a
/// write that fails is -EFAULT and, as in Xen, the port stays open).
/// - alloc_unbound, bind_interdomain, bind_virq, bind_ipi: open a port;
/// - close, send, status, bind_vcpu, unmask, reset (reset_cont is reset);
/// - bind_pirq (no physical IRQs here), the FIFO ABI (init_control,
///   expand_array, set_priority) and any other number: -ENOSYS, without
///   reading `arg`. Linux then falls back to the 2-level ABI.
/// This file only decodes; the semantics and the error codes are Core's
/// (Kernel/Core/Events, Hypervisor+EventChannels.swift).
enum EventChannelOpHypercall {
    @Sendable static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        guard let command = call.command else { throw .notImplemented }
        let argument = call.second
        switch Int32(bitPattern: command) {
        case EVTCHNOP_alloc_unbound: try allocateUnbound(at: argument, context)
        case EVTCHNOP_bind_interdomain: try bindInterdomain(at: argument, context)
        case EVTCHNOP_bind_virq: try bindVirtualInterrupt(at: argument, context)
        case EVTCHNOP_bind_ipi: try bindInterProcessor(at: argument, context)
        case EVTCHNOP_close: try close(at: argument, context)
        case EVTCHNOP_send: try send(at: argument, context)
        case EVTCHNOP_status: try status(at: argument, context)
        case EVTCHNOP_bind_vcpu: try bindVCPU(at: argument, context)
        case EVTCHNOP_unmask: try unmask(at: argument, context)
        case EVTCHNOP_reset, EVTCHNOP_reset_cont: try reset(at: argument, context)
        default: throw .notImplemented
        }
        return 0
    }

    /// `dom` is DOMID_SELF or the caller, or any domain for a privileged
    /// caller (-ESRCH, -EPERM: Hypervisor.domain(_:from:)).
    private static func allocateUnbound(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        var request = try context.guest.read(evtchn_alloc_unbound.self, at: address)
        let target = try context.hypervisor.domain(request.dom, from: context.domain)
        let port = try context.hypervisor.allocateUnboundPort(in: target, remoteDomain: request.remote_dom,
                                                              caller: context.domain)
        request.port = port.number
        try context.guest.write(request, to: address)
    }

    private static func bindInterdomain(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        var request = try context.guest.read(evtchn_bind_interdomain.self, at: address)
        let port = try context.hypervisor.bindInterdomain(context.domain, remoteDomain: request.remote_dom,
                                                          remotePort: EventChannelPort(request.remote_port))
        request.local_port = port.number
        try context.guest.write(request, to: address)
    }

    private static func bindVirtualInterrupt(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        var request = try context.guest.read(evtchn_bind_virq.self, at: address)
        let port = try context.hypervisor.bindVirtualInterrupt(request.virq, vcpu: request.vcpu, in: context.domain)
        request.port = port.number
        try context.guest.write(request, to: address)
    }

    private static func bindInterProcessor(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        var request = try context.guest.read(evtchn_bind_ipi.self, at: address)
        let port = try context.hypervisor.bindInterProcessor(vcpu: request.vcpu, in: context.domain)
        request.port = port.number
        try context.guest.write(request, to: address)
    }

    private static func close(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        let request = try context.guest.read(evtchn_close.self, at: address)
        try context.hypervisor.close(EventChannelPort(request.port), of: context.domain)
    }

    private static func send(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        let request = try context.guest.read(evtchn_send.self, at: address)
        try context.hypervisor.send(on: EventChannelPort(request.port), from: context.domain)
    }

    /// Fills status, vcpu and the one member of `u` the state has; the rest
    /// of `u` is zeroed rather than left as the guest wrote it.
    private static func status(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        var request = try context.guest.read(evtchn_status.self, at: address)
        let channel = try context.hypervisor.status(of: EventChannelPort(request.port), in: request.dom,
                                                    caller: context.domain)
        request.vcpu = channel.notifiedVCPU
        request.u = .init()
        switch channel.state {
        case .free, .reserved:
            request.status = UInt32(EVTCHNSTAT_closed)
        case .unbound(let remoteDomain):
            request.status = UInt32(EVTCHNSTAT_unbound)
            request.u.unbound.dom = remoteDomain
        case .interdomain(let remoteDomain, let remotePort):
            request.status = UInt32(EVTCHNSTAT_interdomain)
            request.u.interdomain.dom = remoteDomain
            request.u.interdomain.port = remotePort.number
        case .virtualInterrupt(let virq):
            request.status = UInt32(EVTCHNSTAT_virq)
            request.u.virq = virq.number
        case .interProcessor:
            request.status = UInt32(EVTCHNSTAT_ipi)
        }
        try context.guest.write(request, to: address)
    }

    private static func bindVCPU(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        let request = try context.guest.read(evtchn_bind_vcpu.self, at: address)
        try context.domain.bindVCPU(EventChannelPort(request.port), to: request.vcpu)
    }

    private static func unmask(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        let request = try context.guest.read(evtchn_unmask.self, at: address)
        try context.domain.unmask(EventChannelPort(request.port))
    }

    /// `dom` as for alloc_unbound; another domain must also be paused.
    private static func reset(at address: UInt64, _ context: HypercallContext) throws(HypercallError) {
        let request = try context.guest.read(evtchn_reset.self, at: address)
        let target = try context.hypervisor.domain(request.dom, from: context.domain)
        try context.hypervisor.resetEventChannels(of: target, caller: context.domain)
    }
}
