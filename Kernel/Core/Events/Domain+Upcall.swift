import XenPublic

/// The upcall: the interrupt that makes a guest look at its pending event
/// channels. Core decides when the guest is owed it, the backend delivers
/// it (`VirtualizationBackend.injectInterrupt`).
///
/// A PVH guest chooses the vector with HVM_PARAM_CALLBACK_IRQ, type
/// "vector" (HVMCallback). Delivery follows Xen's rule for that type: the
/// interrupt is owed for as long as the vCPU's `evtchn_upcall_pending` is
/// set, a level, not an edge. So it is asked for before every entry while
/// the bit is set; the backend injects it only when the guest can take an
/// interrupt (RFLAGS.IF set, no interrupt shadow) and otherwise waits for
/// the guest to open an interrupt window. The guest clears the bit at the
/// start of its handler, with interrupts still off from the interrupt
/// gate, so one event is one interrupt: none lost (the bit stays until the
/// guest has seen it), none doubled (interrupts are off until it has).
/// `evtchn_upcall_mask` plays no part: it is the PV guests' interrupt flag,
/// and Xen ignores it for HVM and PVH guests too.
extension Domain {
    /// The interrupt `vcpu` must take before it runs on, if any: the upcall
    /// first, then the highest its local APIC may deliver, the order of
    /// Xen's hvm_vcpu_has_pending_irq (the callback vector bypasses the
    /// APIC, and needs no EOI). A vCPU with an upcall vector of its own
    /// gets its upcalls through its APIC instead (raisePerVCPUUpcall).
    func pendingInterrupt(for vcpu: VCPU) -> PendingInterrupt? {
        // LAB 5 BEGIN: the upcall is owed while evtchn_upcall_pending is set, before any APIC vector
        // LAB 5 STUB: fatalError("lab 5: Domain.pendingInterrupt is yours to write (Docs/labs/lab5-event-channels.md)")
        if vcpu.upcallVector == nil, let vector = eventCallback.vector,
           let info = vcpuInfo(of: vcpu), info.pointee.evtchn_upcall_pending != 0 {
            return .upcall(vector)
        }
        if let vector = vcpu.localAPIC.highestDeliverableVector() { return .localAPIC(vector) }
        return nil
        // LAB 5 END
    }

    /// Before `vcpu` enters: has the backend inject what it is owed. A
    /// vector from the local APIC goes from its IRR to its ISR when it is
    /// injected, as the CPU's interrupt acknowledge would; the guest's EOI
    /// ends it.
    ///
    /// Before every entry, so the common case (no callback vector chosen,
    /// nothing requested in the APIC) is two tests, inlined.
    @inline(__always)
    func deliverPendingInterrupt(to vcpu: VCPU, backend: VirtualizationBackend) {
        guard eventCallback.vector != nil || !vcpu.localAPIC.interruptRequests.isEmpty else { return }
        deliverPendingInterruptNow(to: vcpu, backend: backend)
    }

    private func deliverPendingInterruptNow(to vcpu: VCPU, backend: VirtualizationBackend) {
        guard let interrupt = pendingInterrupt(for: vcpu) else { return }
        let injection = backend.injectInterrupt(vcpu, vector: interrupt.vector)
        if case .localAPIC(let vector) = interrupt, injection == .injected {
            vcpu.localAPIC.acknowledge(vector: vector)
        }
    }
}

/// An interrupt a vCPU is owed, and where it comes from.
enum PendingInterrupt: Equatable {
    /// The event-channel upcall, at the HVM_PARAM_CALLBACK_IRQ vector.
    case upcall(UInt8)
    /// A vector pending in the vCPU's local APIC (its timer, an IPI).
    case localAPIC(UInt8)

    var vector: UInt8 {
        switch self {
        case .upcall(let vector), .localAPIC(let vector): vector
        }
    }
}

/// HVM_PARAM_CALLBACK_IRQ's value (Xen's hvm/params.h): the delivery type
/// in bits 63:56, its operand below. Only type 2, a vector injected
/// straight into the vCPU, exists here: types 0 (an ISA IRQ) and 1 (a PCI
/// device's INTx line) need an emulated interrupt controller or PCI device,
/// which this hypervisor has none of; asking for them is -EINVAL rather
/// than a setting that silently delivers nothing. 0 turns delivery off.
struct HVMCallback: Equatable {
    static let vectorType: UInt64 = 2

    /// The vector, for type 2; nil when delivery is off.
    let vector: UInt8?

    static let none = HVMCallback(vector: nil)

    /// nil for a value this hypervisor cannot deliver: a type other than 2,
    /// or an exception vector (0-31), which an external interrupt may not use.
    init?(parameter value: UInt64) {
        if value == 0 { self = .none; return }
        guard value >> 56 == Self.vectorType, value & 0x00FF_FFFF_FFFF_FF00 == 0 else { return nil }
        let vector = UInt8(truncatingIfNeeded: value)
        guard vector >= 32 else { return nil }
        self.vector = vector
    }

    private init(vector: UInt8?) { self.vector = vector }
}
