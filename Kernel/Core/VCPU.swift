/// One virtual CPU of a domain.
///
/// Core owns the general registers (the backend's entry stub loads and
/// saves them through `registers`, whose address never changes); the
/// backend owns its hardware control structure, recorded here so that one
/// backend object can run many vCPUs.
final class VCPU {
    let domainID: UInt16
    let index: Int

    /// Stable storage for the entry/exit stub (see GuestRegisters).
    let registers: UnsafeMutablePointer<GuestRegisters>

    /// Host-physical address of the VMCS (VMX) or VMCB (SVM); 0 until the
    /// backend's createVCPU.
    var controlBlock: UInt64 = 0

    /// VMX only: VMLAUNCH has run on this VMCS, so the next entry is VMRESUME.
    var launched = false

    /// The guest's x87/SSE registers while it is not running.
    let floatingPoint = FloatingPointState()

    /// CR2 and the MSRs the backend switches only when the CPU changes vCPU.
    var systemRegisters = GuestSystemRegisters()

    /// The number of exits handled, for reports and benchmarks.
    var exitCount: UInt64 = 0

    /// The one-shot timer and the poll timeout (VCPUTimers).
    var timers = VCPUTimers()

    /// The guest's IA32_PAT (VMExitHandler's MSR policy).
    var pageAttributeTable = PageAttributeTable()

    /// Guest-physical address of the vcpu_info the guest registered with
    /// VCPUOP_register_vcpu_info; nil while it is the shared_info slot.
    var registeredVCPUInfo: UInt64? = nil

    /// The virtual local APIC, in x2APIC mode, with the vCPU's index as its
    /// ID (MSRs 0x800-0x8FF, VirtualAPIC+MSR; IA32_APIC_BASE, LocalAPICBase).
    let localAPIC: VirtualAPIC

    /// Running, runnable, blocked or offline since when, and for how long
    /// in each (Xen's runstate, VCPURunstate).
    var runstate = VCPURunstate()

    /// HLT with interrupts off: nothing can wake this vCPU again
    /// (VMExitHandler.halt).
    var isDown = false

    /// The port each VIRQ is bound to on this vCPU (EVTCHNOP_bind_virq).
    var virtualInterruptPorts = VirtualInterruptBindings()

    /// The vector this vCPU's event-channel upcall comes on through its
    /// local APIC, if the guest chose one (HVMOP_set_evtchn_upcall_vector);
    /// nil: the domain's HVM_PARAM_CALLBACK_IRQ vector, if any, is used
    /// (Domain+Upcall.swift).
    var upcallVector: UInt8? = nil

    init(domainID: UInt16, index: Int) {
        self.domainID = domainID
        self.index = index
        localAPIC = VirtualAPIC(vcpuIndex: index)
        registers = UnsafeMutablePointer<GuestRegisters>.allocate(capacity: 1)
        registers.initialize(to: GuestRegisters())
    }

    deinit {
        registers.deallocate()
        floatingPoint.release()
    }
}
