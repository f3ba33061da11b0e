/// How much the hypervisor logs (`loglvl=`). Ordered from silent to
/// everything: a message is printed when its level is at or below the
/// configured threshold, so `.none` prints nothing and `.all` everything.
public enum LogLevel: UInt8, Comparable, BootOptionKeyword {
    case none
    case error
    case warning
    case info
    case debug
    case all

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    public var keyword: String {
        switch self {
        case .none: "none"
        case .error: "error"
        case .warning: "warning"
        case .info: "info"
        case .debug: "debug"
        case .all: "all"
        }
    }
}
