/// Where a domain is in its life.
enum DomainState: Equatable {
    /// Built, waiting to be unpaused.
    case paused
    case running
    /// Blocked in SCHEDOP_block or halted until an event arrives.
    case blocked
    /// It asked to end (SCHEDOP_shutdown) with a reason (SHUTDOWN_*).
    case shutdown(reason: UInt32)
    /// The hypervisor stopped it for misbehaving; the text says why.
    case crashed(String)

    var isFinished: Bool {
        switch self {
        case .shutdown, .crashed: true
        default: false
        }
    }

    var description: String {
        switch self {
        case .paused: "paused"
        case .running: "running"
        case .blocked: "blocked"
        case .shutdown(let reason): "shut down (\(ShutdownReason.name(reason)))"
        case .crashed(let why): "crashed: " + why
        }
    }
}

/// Names of the SHUTDOWN_* reasons (xen_sched.h), for reports.
enum ShutdownReason {
    static let powerOff: UInt32 = 0
    static let reboot: UInt32 = 1
    static let suspend: UInt32 = 2
    static let crash: UInt32 = 3
    static let watchdog: UInt32 = 4
    static let softReset: UInt32 = 5

    static func name(_ reason: UInt32) -> String {
        switch reason {
        case powerOff: "poweroff"
        case reboot: "reboot"
        case suspend: "suspend"
        case crash: "crash"
        case watchdog: "watchdog"
        case softReset: "soft_reset"
        default: "reason \(reason)"
        }
    }
}
