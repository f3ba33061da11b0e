/// Where the hypervisor prints (`console=`). `none` silences it, which is
/// useful for measuring without the cost of a slow UART.
public enum ConsoleDevice: Equatable, BootOptionKeyword {
    case com1
    case none

    public var keyword: String {
        switch self {
        case .com1: "com1"
        case .none: "none"
        }
    }
}
