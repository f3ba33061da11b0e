/// A VMExitReason without its details: what a domain's exit counters are
/// indexed by, with the short name reports print. One case per case of
/// VMExitReason (VMExitReason+Kind.swift maps them).
enum VMExitKind: Int, CaseIterable {
    case cpuid, hypercall, halt, ioPort, msrRead, msrWrite, nestedPageFault, controlRegisterWrite
    case controlRegisterRead, interruptWindow
    case taskSwitch, externalInterrupt, timer, exception, tripleFault, unsupportedInstruction, hardware

    var name: StaticString {
        switch self {
        case .cpuid: "cpuid"
        case .hypercall: "hypercall"
        case .halt: "halt"
        case .ioPort: "io_port"
        case .msrRead: "msr_read"
        case .msrWrite: "msr_write"
        case .nestedPageFault: "npt_fault"
        case .controlRegisterWrite: "cr_write"
        case .controlRegisterRead: "cr_read"
        case .interruptWindow: "interrupt_window"
        case .taskSwitch: "task_switch"
        case .externalInterrupt: "interrupt"
        case .timer: "timer"
        case .exception: "exception"
        case .tripleFault: "triple_fault"
        case .unsupportedInstruction: "unsupported"
        case .hardware: "hardware"
        }
    }
}
