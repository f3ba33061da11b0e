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
    var localAPIC: VirtualAPIC

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
