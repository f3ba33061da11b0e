/// A CPU exception the hypervisor raises on purpose after boot
/// (`test_fault=`), so the boot tests can check the panic report for each
/// kind of fault without a broken build.
public enum TestFault: Equatable, BootOptionKeyword {
    case none
    case divide
    case invalidOpcode
    case pageFault
    case generalProtection
    case breakpoint

    public var keyword: String {
        switch self {
        case .none: "none"
        case .divide: "divide"
        case .invalidOpcode: "invalid_opcode"
        case .pageFault: "page_fault"
        case .generalProtection: "general_protection"
        case .breakpoint: "breakpoint"
        }
    }

    /// The exception vector the fault arrives on (Intel SDM vol. 3A,
    /// table 6-1), so the test can check the report names the right one.
    public var vector: UInt8? {
        switch self {
        case .none: nil
        case .divide: 0
        case .breakpoint: 3
        case .invalidOpcode: 6
        case .generalProtection: 13
        case .pageFault: 14
        }
    }
}
