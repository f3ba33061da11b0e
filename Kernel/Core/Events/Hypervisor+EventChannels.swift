import XenPublic

/// EVTCHNOP_* with Xen's semantics and error codes, for the operations that
/// open ports or may reach another domain. EventChannelOpHypercall decodes
/// the guest's structs and calls these; other Core code may call them too
/// (a domain builder making a console port, for instance).
///
/// Other domains are named by id and looked up here each time, never kept
/// by reference, so a channel cannot outlive the domain at its other end:
/// a domain's destruction closes its ports and leaves the other ends
/// unbound (Hypervisor+EventChannelClosing.swift).
extension Hypervisor {
    /// EVTCHNOP_alloc_unbound: a port of `domain` that `remoteDomain` may
    /// connect to. DOMID_SELF as the remote means the caller (which, for a
    /// privileged caller opening a port in another domain, is not `domain`:
    /// as in Xen). Any id is accepted as the remote, existing or not.
    func allocateUnboundPort(in domain: Domain, remoteDomain: UInt16,
                             caller: Domain) throws(HypercallError) -> EventChannelPort {
        let remote = remoteDomain == UInt16(DOMID_SELF) ? caller.id : remoteDomain
        return try domain.openPort(EventChannel(state: .unbound(remoteDomain: remote), notifiedVCPU: 0), frames: frames)
    }

    /// EVTCHNOP_bind_interdomain: connects a new port of `domain` to
    /// `remotePort` of `remoteDomain` (DOMID_SELF: `domain` itself), which
    /// must be unbound and waiting for `domain`. The remote end keeps the
    /// vCPU it notifies. The new port is raised at once, because events sent
    /// while the remote end was unbound were dropped (Xen does the same).
    func bindInterdomain(_ domain: Domain, remoteDomain: UInt16,
                         remotePort: EventChannelPort) throws(HypercallError) -> EventChannelPort {
        guard let remote = existingDomain(remoteDomain, caller: domain) else { throw .noSuchDomain }
        _ = try domain.eventChannels.freePort()        // -ENOSPC comes first, as in Xen
        guard var remoteChannel = remote.eventChannels.channel(at: remotePort),
              remoteChannel.state == .unbound(remoteDomain: domain.id) else { throw .invalidArgument }
        let local = EventChannel(state: .interdomain(remoteDomain: remote.id, remotePort: remotePort), notifiedVCPU: 0)
        let localPort = try domain.openPort(local, frames: frames)
        remoteChannel.state = .interdomain(remoteDomain: domain.id, remotePort: localPort)
        remote.eventChannels.update(remotePort, to: remoteChannel)
        domain.raiseEvent(on: localPort)
        return localPort
    }

    /// EVTCHNOP_bind_virq, in Xen's order of checks: the number (-EINVAL), a
    /// global VIRQ anywhere but vCPU 0 (-EINVAL), the vCPU (-ENOENT), already
    /// bound there (-EEXIST), a free port (-ENOSPC).
    func bindVirtualInterrupt(_ number: UInt32, vcpu index: UInt32,
                              in domain: Domain) throws(HypercallError) -> EventChannelPort {
        guard let virq = VirtualInterrupt(number: number) else { throw .invalidArgument }
        guard virq.isPerVCPU || index == 0 else { throw .invalidArgument }
        guard let vcpu = domain.vcpu(at: index) else { throw .noSuchEntry }
        guard vcpu.virtualInterruptPorts[virq] == nil else { throw .alreadyExists }
        let port = try domain.openPort(EventChannel(state: .virtualInterrupt(virq), notifiedVCPU: index), frames: frames)
        vcpu.virtualInterruptPorts[virq] = port
        return port
    }

    /// EVTCHNOP_bind_ipi: a port the domain sends to itself, notifying vCPU
    /// `index` for good.
    func bindInterProcessor(vcpu index: UInt32, in domain: Domain) throws(HypercallError) -> EventChannelPort {
        guard domain.vcpu(at: index) != nil else { throw .noSuchEntry }
        return try domain.openPort(EventChannel(state: .interProcessor, notifiedVCPU: index), frames: frames)
    }

    /// EVTCHNOP_send: raises the other end of an interdomain channel, or the
    /// port itself for an IPI. An unbound port drops the event (success); a
    /// closed port or a VIRQ's is -EINVAL.
    func send(on port: EventChannelPort, from domain: Domain) throws(HypercallError) {
        guard let channel = domain.eventChannels.channel(at: port) else { throw .invalidArgument }
        switch channel.state {
        case .interdomain(let remoteID, let remotePort):
            existingDomain(remoteID, caller: domain)?.raiseEvent(on: remotePort)
        case .interProcessor:
            domain.raiseEvent(on: port)
        case .unbound:
            break
        default:
            throw .invalidArgument
        }
    }

    /// EVTCHNOP_status: the channel at `port` of domain `domainID`. Xen's
    /// order: no such domain (-ESRCH), a port beyond the domain's ports
    /// (-EINVAL), then another domain from an unprivileged caller (-EPERM).
    func status(of port: EventChannelPort, in domainID: UInt16,
                caller: Domain) throws(HypercallError) -> EventChannel {
        guard let domain = existingDomain(domainID, caller: caller) else { throw .noSuchDomain }
        guard let channel = domain.eventChannels.channel(at: port) else { throw .invalidArgument }
        guard domain === caller || caller.isPrivileged else { throw .notPermitted }
        return channel
    }

    /// Raises a global VIRQ (VIRQ_DOM_EXC, VIRQ_CONSOLE) for the domain that
    /// handles them: dom0, Xen's default. Nothing happens if it did not bind it.
    func sendGlobalVirtualInterrupt(_ virq: VirtualInterrupt) {
        domain0?.sendVirtualInterrupt(virq)
    }

    /// The domain with this id (DOMID_SELF: the caller), privileged or not;
    /// nil if there is none.
    func existingDomain(_ id: UInt16, caller: Domain) -> Domain? {
        if id == UInt16(DOMID_SELF) || id == caller.id { return caller }
        return domains.first { $0.id == id }
    }
}
