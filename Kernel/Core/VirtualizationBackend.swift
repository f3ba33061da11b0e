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
    /// `ioPorts` is the domain's I/O permission bitmap, nil for "every
    /// port access exits".
    func createVCPU(_ vcpu: VCPU, entryPoint: UInt32, nestedPagingRoot: UInt64,
                    ioPorts: IOPortBitmap?) throws(VirtualizationError)

    /// Releases what `createVCPU` allocated.
    func destroyVCPU(_ vcpu: VCPU)

    /// Runs the guest until it exits.
    func run(_ vcpu: VCPU) -> VMExit

    /// RIP, CR0/3/4, EFER, ... as the guest has them now.
    func controlState(_ vcpu: VCPU) -> GuestControlState

    /// The guest's code segment (base, L, D), for decoding the instruction
    /// at RIP (InstructionFetchState).
    func codeSegment(_ vcpu: VCPU) -> CodeSegment

    /// Gives the guest the EFER value Core allowed after a WRMSR exit
    /// (ExtendedFeatureEnable); `controlState` reads it back as the guest
    /// sees it.
    func setExtendedFeatureEnable(_ vcpu: VCPU, _ value: UInt64)

    /// Moves the guest's RIP (after an instruction exit: past it).
    func setInstructionPointer(_ vcpu: VCPU, _ rip: UInt64)

    /// Sets the guest's RSP, which the hardware keeps (an emulated load
    /// into RSP).
    func setStackPointer(_ vcpu: VCPU, _ rsp: UInt64)

    /// The CR4 bits a guest may set (`ControlRegister4Policy`), told once
    /// at boot before the first createVCPU. A MOV to CR4 that sets any
    /// other bit must exit as `.controlRegisterWrite`, so Core can refuse
    /// it; other CR4 writes may run without an exit, where the CPU checks
    /// them by the same architectural rules.
    func setPermittedControlRegister4Bits(_ bits: UInt64)

    /// Gives the guest the value of CR`number` (0, 3 or 4) that Core
    /// allowed after a `.controlRegisterWrite` exit, and says whether that
    /// finished the MOV, or the guest must execute it again (natively, now
    /// that it passes), or the backend cannot do it.
    func writeControlRegister(_ vcpu: VCPU, _ number: UInt8, _ value: UInt64) -> ControlRegisterWriteCompletion

    /// RIP += length: the central advance after an instruction exit. A
    /// backend may do it cheaper than reading the whole control state.
    func advanceInstructionPointer(_ vcpu: VCPU, by length: UInt8)

    /// Delivers an exception to the guest on the next entry.
    func injectException(_ vcpu: VCPU, vector: UInt8, errorCode: UInt32?)

    /// Delivers external interrupt `vector` at the next entry if the guest
    /// can take it then: RFLAGS.IF set, no STI or MOV SS shadow, no other
    /// event already queued for that entry. Otherwise it makes the guest
    /// exit with `.interruptWindow` as soon as it can, and Core asks again.
    func injectInterrupt(_ vcpu: VCPU, vector: UInt8) -> InterruptInjection

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

/// What `injectInterrupt` did.
enum InterruptInjection: Equatable {
    /// The guest takes the interrupt as it enters.
    case injected
    /// The guest cannot take it now; it exits with `.interruptWindow` when
    /// it can.
    case waitingForWindow
}

/// How a backend completed a MOV to a control register that Core allowed.
enum ControlRegisterWriteCompletion {
    /// CR4 has the value: RIP moves past the MOV (SVM writes the VMCB).
    case written
    /// RIP stays: the guest runs the MOV again and the CPU performs it
    /// with its own checks and side effects (VMX, once the read shadow
    /// agrees, see VMXControlRegisters).
    case executeAgain
    /// The backend cannot perform this write; the reason is for the crash
    /// report.
    case notEmulated(StaticString)
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
