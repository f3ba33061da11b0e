import XenPublic

/// A virtual interrupt (VIRQ_* in xen_event_channel.h): an event the
/// hypervisor raises itself, on the port the guest bound to it with
/// EVTCHNOP_bind_virq. A VIRQ nobody bound is simply not raised.
struct VirtualInterrupt: Equatable {
    let number: UInt32

    /// nil for a number the ABI does not have (NR_VIRQS or more).
    init?(number: UInt32) {
        guard number < UInt32(NR_VIRQS) else { return nil }
        self.number = number
    }

    private init(_ constant: Int32) { number = UInt32(constant) }

    /// The vCPU's one-shot timer fired (per vCPU).
    static let timer = VirtualInterrupt(VIRQ_TIMER)
    /// Input arrived on the hypervisor's console (global, for dom0).
    static let console = VirtualInterrupt(VIRQ_CONSOLE)
    /// A domain shut down, crashed or was destroyed (global, for dom0).
    static let domainException = VirtualInterrupt(VIRQ_DOM_EXC)

    /// Xen's classification: a per-vCPU VIRQ is bound on each vCPU on its
    /// own and always notifies that vCPU; every other one is global, bound
    /// once per domain (on vCPU 0) and movable with EVTCHNOP_bind_vcpu. The
    /// architecture's VIRQ_ARCH_* are global on x86.
    var isPerVCPU: Bool {
        switch Int32(number) {
        case VIRQ_TIMER, VIRQ_DEBUG, VIRQ_XENOPROF, VIRQ_XENPMU: true
        default: false
        }
    }

    /// Its slot in a vCPU's binding table (VirtualInterruptBindings).
    var index: Int { Int(number) }
}
