/// One port's channel: what it is connected to, and which of the domain's
/// vCPUs its events notify. The states are Xen's (EVTCHNSTAT_* in
/// xen_event_channel.h); the pending and mask bits are not kept here but in
/// the guest-visible shared_info page (Domain+EventDelivery.swift).
struct EventChannel: Equatable {
    enum State: Equatable {
        /// Not in use: EVTCHNOP_status says closed.
        case free
        /// Port 0, never used (also "closed" to EVTCHNOP_status).
        case reserved
        /// Waits for `remoteDomain` to connect with EVTCHNOP_bind_interdomain:
        /// made by EVTCHNOP_alloc_unbound, or left when the other end closed.
        case unbound(remoteDomain: UInt16)
        /// Connected to `remotePort` of `remoteDomain` (which may be this
        /// domain: a loopback channel). The remote channel names this port.
        case interdomain(remoteDomain: UInt16, remotePort: EventChannelPort)
        /// Raised by the hypervisor for a virtual interrupt.
        case virtualInterrupt(VirtualInterrupt)
        /// Raised by the domain itself (EVTCHNOP_send), for one of its vCPUs.
        case interProcessor
    }

    var state: State
    /// The index of the vCPU its events notify: 0 unless it was bound to
    /// another vCPU (bind_virq, bind_ipi, bind_vcpu).
    var notifiedVCPU: UInt32

    static let free = EventChannel(state: .free, notifiedVCPU: 0)

    /// In use: EVTCHNOP_close and EVTCHNOP_reset close it.
    var isOpen: Bool {
        switch state {
        case .free, .reserved: false
        default: true
        }
    }
}
