import XenPublic

/// One vCPU's VIRQ bindings: the port each virtual interrupt is bound to on
/// this vCPU, if any. Per-vCPU VIRQs have an entry on each vCPU that bound
/// them; a global VIRQ has its entry on vCPU 0, even after
/// EVTCHNOP_bind_vcpu moved its notifications elsewhere (the channel says
/// which vCPU it notifies). A fixed array of NR_VIRQS ports: 96 bytes per vCPU.
struct VirtualInterruptBindings {
    /// 0 (EventChannelPort.reserved) where the VIRQ is not bound.
    private var ports = [UInt32](repeating: 0, count: Int(NR_VIRQS))

    subscript(virq: VirtualInterrupt) -> EventChannelPort? {
        get {
            let number = ports[virq.index]
            return number == EventChannelPort.reserved.number ? nil : EventChannelPort(number)
        }
        set {
            ports[virq.index] = newValue?.number ?? EventChannelPort.reserved.number
        }
    }
}
