@testable import KernelCore

/// A backend whose guests are Swift closures: running a vCPU calls its
/// domain's program, which moves the manual clock for the time the guest
/// "ran" and returns the exit that ended the run. Guests are in 32-bit
/// protected mode without paging, at privilege 0.
final class ScriptedBackend: VirtualizationBackend {
    let name = "SCRIPTED"
    let capabilitySummary = ["scripted backend for scheduler tests"]
    let unusableReason: String? = nil
    let nestedPageFormat = PageTableFormat.npt
    let hypercallInstruction: [UInt8] = [0x0F, 0x01, 0xD9]

    /// Per domain id: what the guest does when it runs.
    var programs: [UInt16: (VCPU) -> VMExit] = [:]
    /// Domain ids in the order their vCPUs were run.
    private(set) var runs: [UInt16] = []
    /// Interrupts on (RFLAGS.IF), so that HLT waits rather than ends the vCPU.
    var state = GuestControlState(rip: 0x10_0000, rflags: 0x202, cr0: 1)

    func enable() throws(VirtualizationError) {}
    func disable() {}
    func createVCPU(_ vcpu: VCPU, entryPoint: UInt32, nestedPagingRoot: UInt64,
                    ioPorts: IOPortBitmap?) throws(VirtualizationError) {}
    func destroyVCPU(_ vcpu: VCPU) {}

    func run(_ vcpu: VCPU) -> VMExit {
        runs.append(vcpu.domainID)
        guard let program = programs[vcpu.domainID] else {
            preconditionFailure("no program for d\(vcpu.domainID)")
        }
        return program(vcpu)
    }

    func controlState(_ vcpu: VCPU) -> GuestControlState { state }

    /// The code segment `codeSegment(_:)` reports.
    var segment = CodeSegment()
    func codeSegment(_ vcpu: VCPU) -> CodeSegment { segment }
    func setInstructionPointer(_ vcpu: VCPU, _ rip: UInt64) {}
    func setStackPointer(_ vcpu: VCPU, _ rsp: UInt64) {}
    func setPermittedControlRegister4Bits(_ bits: UInt64) {}
    func setExtendedFeatureEnable(_ vcpu: VCPU, _ value: UInt64) {}
    func writeControlRegister(_ vcpu: VCPU, _ number: UInt8, _ value: UInt64) -> ControlRegisterWriteCompletion { .written }
    func injectException(_ vcpu: VCPU, vector: UInt8, errorCode: UInt32?) {}
    /// Interrupts injected, by domain id and vector, in order.
    private(set) var injectedInterrupts: [(domain: UInt16, vector: UInt8)] = []
    func injectInterrupt(_ vcpu: VCPU, vector: UInt8) -> InterruptInjection {
        injectedInterrupts.append((vcpu.domainID, vector))
        return .injected
    }
    func flushNestedTranslations(_ vcpu: VCPU) {}
}

extension GuestExecutionMode {
    /// The scripted guests' mode: 32-bit protected mode, ring 0.
    static let kernel32 = GuestExecutionMode(privilegeLevel: 0, longModeActive: false)
}
