/// Closing event channels: one port (EVTCHNOP_close), all of a domain's
/// (EVTCHNOP_reset), and all of them when the domain is destroyed. Xen's
/// semantics: closing one end of an interdomain channel leaves the other
/// end unbound, waiting for the closing domain to connect again, so the
/// other domain can tell (EVTCHNOP_status) and its sends are dropped.
extension Hypervisor {
    /// EVTCHNOP_close: -EINVAL for a port that is not open.
    func close(_ port: EventChannelPort, of domain: Domain) throws(HypercallError) {
        guard let channel = domain.eventChannels.channel(at: port), channel.isOpen else { throw .invalidArgument }
        switch channel.state {
        case .virtualInterrupt(let virq):
            for vcpu in domain.vcpus where vcpu.virtualInterruptPorts[virq] == port {
                vcpu.virtualInterruptPorts[virq] = nil
            }
        case .interdomain(let remoteID, let remotePort):
            leaveUnbound(remotePort, of: existingDomain(remoteID, caller: domain), closedBy: domain, port: port)
        default:
            break
        }
        domain.releasePort(port)
    }

    /// EVTCHNOP_reset of `target`, found by the caller with the usual rules
    /// (DOMID_SELF, or privilege for another domain). Another domain must be
    /// paused, so that it cannot open ports while they are being closed
    /// (Xen: -EINVAL otherwise).
    func resetEventChannels(of target: Domain, caller: Domain) throws(HypercallError) {
        guard target === caller || target.state == .paused else { throw .invalidArgument }
        closeAllEventChannels(of: target)
    }

    /// Closes every open port of `domain` (reset, and destroy: the other ends
    /// of its interdomain channels become unbound, as in Xen's evtchn_destroy).
    func closeAllEventChannels(of domain: Domain) {
        for port in domain.eventChannels.openPorts {
            // Cannot fail: the port is open. A loopback channel's other end
            // may have become unbound meanwhile; it is still open, and closed
            // in its turn.
            try? close(port, of: domain)
        }
    }

    /// The remote end of a channel `domain` closes goes back to unbound,
    /// waiting for `domain`; it keeps the vCPU it notifies and its pending
    /// bit. Only if it really is the other end (it always is: both ends
    /// change together).
    private func leaveUnbound(_ remotePort: EventChannelPort, of remote: Domain?, closedBy domain: Domain,
                              port: EventChannelPort) {
        guard let remote, var channel = remote.eventChannels.channel(at: remotePort),
              channel.state == .interdomain(remoteDomain: domain.id, remotePort: port) else { return }
        channel.state = .unbound(remoteDomain: domain.id)
        remote.eventChannels.update(remotePort, to: channel)
    }
}
