/// Why the guest stopped running, in the same words for VMX and SVM.
///
/// The backend decodes its hardware exit (a VMX exit reason or an SVM exit
/// code) into one of these; Core handles each case once for both vendors.
enum VMExitReason {
    /// CPUID; the leaf is in RAX, the subleaf in RCX.
    case cpuid
    /// VMCALL (Intel) or VMMCALL (AMD): a hypercall, with the caller's CPL
    /// and mode, which the backend reads as it decodes the exit (both are
    /// needed before anything else, and reading them here saves a call).
    case hypercall(GuestExecutionMode)
    /// HLT.
    case halt
    /// IN or OUT (string forms are reported as `unsupportedInstruction`).
    case ioPort(port: UInt16, size: UInt8, isWrite: Bool)
    /// RDMSR; the MSR number is in RCX.
    case msrRead
    /// WRMSR; the MSR number is in RCX, the value in EDX:EAX.
    case msrWrite
    /// A guest-physical address the nested page tables do not allow.
    case nestedPageFault(guestPhysicalAddress: UInt64, access: MemoryAccess)
    /// MOV to control register `number` (CR0, CR3 or CR4; which of them
    /// exit depends on the vendor, see VMExitHandler+ControlRegister). The
    /// source register's encoded number where the hardware gives it (VMX's
    /// exit qualification, with the instruction length); nil where it does
    /// not (SVM without decode assists): Core decodes the instruction.
    case controlRegisterWrite(number: UInt8, sourceRegister: UInt8?)
    /// MOV from control register `number` (only CR3, only on VMX) into the
    /// general register with encoded number `destinationRegister`.
    case controlRegisterRead(number: UInt8, destinationRegister: UInt8)
    /// A hardware task switch (CALL, JMP or IRET to a TSS, or a task gate),
    /// to the TSS `selector`. Only legacy protected mode has them.
    case taskSwitch(selector: UInt16)
    /// A physical interrupt arrived while the guest ran.
    case externalInterrupt
    /// The backend's preemption timer expired.
    case timer
    /// The guest can take an interrupt again (it set RFLAGS.IF, or its
    /// interrupt shadow ended), as the backend was asked to report when an
    /// interrupt could not be injected at once (`injectInterrupt`).
    case interruptWindow
    /// A guest exception the backend intercepts.
    case exception(vector: UInt8, errorCode: UInt32?)
    /// The guest triple-faulted (VMX exit reason 2, SVM SHUTDOWN).
    case tripleFault
    /// An instruction we intercept but do not emulate (INVD, XSETBV, string
    /// I/O, VMX/SVM instructions, ...).
    case unsupportedInstruction
    /// VM entry failed or the hardware reported something we do not know;
    /// the code is the raw VMX exit reason or SVM exit code, for the report.
    case hardware(code: UInt64)
}

/// What kind of access faulted in the nested page tables.
struct MemoryAccess {
    var read: Bool
    var write: Bool
    var execute: Bool
    /// The CPU itself was reading the guest's page tables (walking them
    /// for a linear address, or loading PAE PDPTEs), not the memory an
    /// instruction addresses.
    var guestPageWalk = false
    /// The CPU was delivering an interrupt or exception (reading the IDT,
    /// pushing the frame), not running the instruction at RIP.
    var duringEventDelivery = false
}

/// One exit: the reason, and the length of the instruction that caused it
/// where the hardware or the intercept fixes it (0 when unknown). Core
/// advances RIP by this length after handling an instruction exit.
struct VMExit {
    var reason: VMExitReason
    var instructionLength: UInt8
    /// The hardware's own name and number, for crash reports.
    var hardwareName: StaticString
    var hardwareCode: UInt64
}
