import XenPublic

/// event_channel_op: Xen's event channels from the guest's side, one typed
/// wrapper per operation, each filling the operation's struct from
/// xen_event_channel.h (which says what every field means and which errors
/// each operation has). A port (evtchn_port_t) is a small number private
/// to this domain; port 0 is never handed out.
///
/// These only open, connect and close ports. An event that arrives sets the
/// port's bit in shared_info (SharedInfoView+EventBits.swift) and, once the
/// guest chose a callback vector, interrupts it (Upcall.swift).
enum EventChannelOp {
    /// EVTCHNOP_alloc_unbound: a new port of `domain` (normally this one)
    /// that domain `remoteDomain` may connect to with `bindInterdomain`.
    static func allocateUnbound(remoteDomain: DomainID,
                                domain: DomainID = DomainID(DOMID_SELF)) throws(HypercallFailure) -> evtchn_port_t {
        var request = evtchn_alloc_unbound(dom: domain, remote_dom: remoteDomain, port: 0)
        try call(EVTCHNOP_alloc_unbound, &request)
        return request.port
    }

    /// EVTCHNOP_bind_interdomain: a new port of this domain, connected to
    /// `remotePort` of `remoteDomain`, which must be unbound and waiting for
    /// this domain (-EINVAL otherwise). The new port is pending at once.
    static func bindInterdomain(remoteDomain: DomainID, remotePort: evtchn_port_t) throws(HypercallFailure) -> evtchn_port_t {
        var request = evtchn_bind_interdomain(remote_dom: remoteDomain, remote_port: remotePort, local_port: 0)
        try call(EVTCHNOP_bind_interdomain, &request)
        return request.local_port
    }

    /// EVTCHNOP_bind_virq: a new port the hypervisor raises for virtual
    /// interrupt `virq` (VIRQ_*): VIRQ_TIMER on `vcpu`, a global one on 0.
    static func bindVirtualInterrupt(_ virq: Int32, vcpu: UInt32 = 0) throws(HypercallFailure) -> evtchn_port_t {
        var request = evtchn_bind_virq(virq: UInt32(bitPattern: virq), vcpu: vcpu, port: 0)
        try call(EVTCHNOP_bind_virq, &request)
        return request.port
    }

    /// EVTCHNOP_bind_ipi: a new port this domain sends to itself, to
    /// notify `vcpu`.
    static func bindInterProcessor(vcpu: UInt32 = 0) throws(HypercallFailure) -> evtchn_port_t {
        var request = evtchn_bind_ipi(vcpu: vcpu, port: 0)
        try call(EVTCHNOP_bind_ipi, &request)
        return request.port
    }

    /// EVTCHNOP_send: raises the other end of `port` (the port itself for
    /// an IPI).
    static func send(_ port: evtchn_port_t) throws(HypercallFailure) {
        var request = evtchn_send(port: port)
        try call(EVTCHNOP_send, &request)
    }

    /// EVTCHNOP_close: frees `port` (its pending bit is cleared); the other
    /// end of an interdomain channel goes back to unbound.
    static func close(_ port: evtchn_port_t) throws(HypercallFailure) {
        var request = evtchn_close(port: port)
        try call(EVTCHNOP_close, &request)
    }

    /// EVTCHNOP_unmask: clears the port's mask bit and, if it was masked
    /// and is pending, has the hypervisor notify its vCPU as if the event
    /// had just come (clearing the mask bit by hand would not).
    static func unmask(_ port: evtchn_port_t) throws(HypercallFailure) {
        var request = evtchn_unmask(port: port)
        try call(EVTCHNOP_unmask, &request)
    }

    /// EVTCHNOP_status: what `port` of `domain` is connected to
    /// (`status` is EVTCHNSTAT_*, and `u` holds the other end).
    static func status(_ port: evtchn_port_t, domain: DomainID = DomainID(DOMID_SELF)) throws(HypercallFailure) -> evtchn_status {
        var request = evtchn_status()
        request.dom = domain
        request.port = port
        try call(EVTCHNOP_status, &request)
        return request
    }

    /// event_channel_op(operation, &request): the hypervisor reads the
    /// struct and, on success, writes it back with its OUT fields.
    private static func call<Request>(_ operation: Int32, _ request: inout Request) throws(HypercallFailure) {
        let result = withUnsafeMutablePointer(to: &request) { pointer in
            Hypercall.call(UInt64(__HYPERVISOR_event_channel_op), UInt64(operation), Hypercall.argument(pointer))
        }
        if result < 0 { throw HypercallFailure(result: result) }
    }
}
