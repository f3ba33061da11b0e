/// The one seam between vendor-neutral Core and the hardware: Intel VMX or
/// AMD SVM. Core talks only to this protocol; Arch provides one class per
/// vendor and Main picks one at boot from CPUID.
///
/// A backend turns "run this vCPU until it exits" into a normalized `VMExit`.
/// It knows how to enter and leave the guest, inject an event and move RIP;
/// everything else (what a CPUID returns, what a hypercall does, when a
/// domain is crashed) is Core's.
///
/// Class-bound because Embedded Swift has no value existentials.
protocol VirtualizationBackend: AnyObject {
    /// "VMX" or "SVM".
    var name: String { get }

    /// One line each on what the hardware offers (nested paging, ...).
    var capabilitySummary: [String] { get }

    /// Why this backend cannot run here, or nil when it can.
    var unusableReason: String? { get }

    /// The nested page-table format this backend's hardware walks.
    var nestedPageFormat: PageTableFormat { get }

    /// The bytes of the hypercall instruction (VMCALL or VMMCALL), for the
    /// stubs in a guest's hypercall page.
    var hypercallInstruction: [UInt8] { get }

    /// Turns virtualization on for this CPU (VMXON, or EFER.SVME).
    func enable() throws(VirtualizationError)

    /// Turns it off again; safe to call when it is not on.
    func disable()

    /// Creates the hardware control structure (VMCS or VMCB) of `vcpu`, in
    /// the PVH start state: 32-bit protected mode, paging off, flat CS/DS/
    /// ES/SS, a 32-bit TSS, interrupts off, RIP = `entryPoint`. RBX and the
    /// other general registers are taken from `vcpu.registers`.
    /// `nestedPagingRoot` is the host-physical address of the domain's
    /// EPT PML4 or NPT PML4.
    func createVCPU(_ vcpu: VCPU, entryPoint: UInt32, nestedPagingRoot: UInt64) throws(VirtualizationError)

    /// Releases what `createVCPU` allocated.
    func destroyVCPU(_ vcpu: VCPU)

    /// Runs the guest until it exits.
    func run(_ vcpu: VCPU) -> VMExit

    /// RIP, CR0/3/4, EFER, ... as the guest has them now.
    func controlState(_ vcpu: VCPU) -> GuestControlState

    /// Moves the guest's RIP (after an instruction exit: past it).
    func setInstructionPointer(_ vcpu: VCPU, _ rip: UInt64)

    /// RIP += length: the central advance after an instruction exit. A
    /// backend may do it cheaper than reading the whole control state.
    func advanceInstructionPointer(_ vcpu: VCPU, by length: UInt8)

    /// Delivers an exception to the guest on the next entry.
    func injectException(_ vcpu: VCPU, vector: UInt8, errorCode: UInt32?)

    /// Forgets every cached guest-physical translation of `vcpu`'s nested
    /// page tables (INVEPT, or an SVM TLB flush on the next VMRUN). Core
    /// calls it after removing or narrowing a mapping; adding one needs no
    /// flush.
    func flushNestedTranslations(_ vcpu: VCPU)
}

extension VirtualizationBackend {
    func advanceInstructionPointer(_ vcpu: VCPU, by length: UInt8) {
        setInstructionPointer(vcpu, controlState(vcpu).rip &+ UInt64(length))
    }
}

enum VirtualizationError: Error {
    case unsupported(String)
    case disabledByFirmware(String)
    case hardwareRefused(String)
    case outOfMemory

    var message: String {
        switch self {
        case .unsupported(let text): "not supported: " + text
        case .disabledByFirmware(let text): "disabled by firmware: " + text
        case .hardwareRefused(let text): "refused by the CPU: " + text
        case .outOfMemory: "out of memory"
        }
    }
}
