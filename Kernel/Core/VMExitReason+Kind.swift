extension VMExitReason {
    @inline(__always)
    var kind: VMExitKind {
        switch self {
        case .cpuid: .cpuid
        case .hypercall: .hypercall
        case .halt: .halt
        case .ioPort: .ioPort
        case .msrRead: .msrRead
        case .msrWrite: .msrWrite
        case .nestedPageFault: .nestedPageFault
        case .controlRegisterWrite: .controlRegisterWrite
        case .controlRegisterRead: .controlRegisterRead
        case .interruptWindow: .interruptWindow
        case .taskSwitch: .taskSwitch
        case .externalInterrupt: .externalInterrupt
        case .timer: .timer
        case .exception: .exception
        case .tripleFault: .tripleFault
        case .unsupportedInstruction: .unsupportedInstruction
        case .hardware: .hardware
        }
    }

    /// The same name for VMX and SVM ("hypercall", "npt_fault", ...).
    var name: StaticString { kind.name }
}
