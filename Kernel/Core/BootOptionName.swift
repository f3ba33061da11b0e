/// The options the hypervisor command line understands.
enum BootOptionName: BootOptionKeyword {
    case console
    case logLevel
    case testFault
    case domain0Memory
    case noReboot

    var keyword: String {
        switch self {
        case .console: "console"
        case .logLevel: "loglvl"
        case .testFault: "test_fault"
        case .domain0Memory: "dom0_mem"
        case .noReboot: "noreboot"
        }
    }

    /// Boolean options may be written bare (true) or with a `no-` prefix
    /// (false); the others need `=value`.
    var isBoolean: Bool {
        self == .noReboot
    }
}
