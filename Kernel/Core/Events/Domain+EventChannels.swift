import XenPublic

/// The event-channel operations that concern one domain only: opening and
/// freeing its ports, moving a port to another vCPU, unmasking, and raising
/// the VIRQs it bound. Those that may reach another domain (connecting,
/// sending, closing) are the hypervisor's (Hypervisor+EventChannels.swift).
extension Domain {
    /// Opens the lowest free port with `channel`. The domain's shared_info
    /// page is made first if it has none yet, so the port's pending bit has
    /// somewhere to live from the start: -ENOMEM if no frame is left, and
    /// -ENOSPC (checked first, as in Xen) if no port is.
    func openPort(_ channel: EventChannel, frames: FrameSource) throws(HypercallError) -> EventChannelPort {
        let port = try eventChannels.freePort()
        if sharedInfo == nil {
            guard let page = SharedInfoPage(frames: frames) else { throw .outOfMemory }
            sharedInfo = page
        }
        eventChannels.update(port, to: channel)
        return port
    }

    /// Frees an open port. Like Xen, its pending bit is cleared, so that the
    /// next channel on this port does not start pending, and its mask bit
    /// (the guest's) is left alone. The notified vCPU goes back to 0.
    func releasePort(_ port: EventChannelPort) {
        eventChannels.update(port, to: .free)
        sharedInfo?.clearPending(port)
    }

    /// EVTCHNOP_bind_vcpu: unbound and interdomain ports and global VIRQs may
    /// notify another vCPU; IPIs and per-vCPU VIRQs keep theirs (-EINVAL),
    /// and so does a closed port.
    func bindVCPU(_ port: EventChannelPort, to index: UInt32) throws(HypercallError) {
        guard vcpu(at: index) != nil else { throw .noSuchEntry }
        guard var channel = eventChannels.channel(at: port) else { throw .invalidArgument }
        switch channel.state {
        case .unbound, .interdomain:
            break
        case .virtualInterrupt(let virq) where !virq.isPerVCPU:
            break
        default:
            throw .invalidArgument
        }
        channel.notifiedVCPU = index
        eventChannels.update(port, to: channel)
    }

    /// EVTCHNOP_unmask: any port that exists, open or not (Xen's check).
    func unmask(_ port: EventChannelPort) throws(HypercallError) {
        guard eventChannels.channel(at: port) != nil else { throw .invalidArgument }
        unmaskEvent(on: port)
    }

    /// Raises `virq` if the guest bound it: a per-vCPU VIRQ on `vcpu`
    /// (vCPU 0 when nil), a global one on whichever vCPU its channel
    /// notifies (`vcpu` is not used: the binding is vCPU 0's). Returns
    /// whether it was bound, i.e. whether an event was raised.
    @discardableResult
    func sendVirtualInterrupt(_ virq: VirtualInterrupt, to vcpu: VCPU? = nil) -> Bool {
        let bindingVCPU = virq.isPerVCPU ? (vcpu ?? vcpus.first) : vcpus.first
        guard let port = bindingVCPU?.virtualInterruptPorts[virq] else { return false }
        raiseEvent(on: port)
        return true
    }

    /// The vCPU's one-shot timer fired. With VIRQ_TIMER bound, that is the
    /// event, as in Xen. Without, the timer is still marked in vcpu_info
    /// (evtchn_upcall_pending), as this hypervisor did before it had event
    /// channels, for guests that use timers and SCHEDOP_block without them.
    func deliverTimerEvent(to vcpu: VCPU) {
        if !sendVirtualInterrupt(.timer, to: vcpu) { markEventPending(for: vcpu) }
    }
}
