import XenPublic

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

    /// `== .running` without comparing payloads: the scheduler asks on
    /// every exit.
    var isRunning: Bool {
        if case .running = self { return true }
        return false
    }

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
        case .shutdown(let reason): "shut down (\(ShutdownReasonCode.name(reason)))"
        case .crashed(let why): "crashed: " + why
        }
    }
}

/// The SHUTDOWN_* reason codes (xen_sched.h) a domain ends with, as the
/// hypervisor stores them (DomainState.shutdown), and their names for reports.
enum ShutdownReasonCode {
    static let powerOff = UInt32(SHUTDOWN_poweroff)
    static let reboot = UInt32(SHUTDOWN_reboot)
    static let suspend = UInt32(SHUTDOWN_suspend)
    static let crash = UInt32(SHUTDOWN_crash)
    static let watchdog = UInt32(SHUTDOWN_watchdog)
    static let softReset = UInt32(SHUTDOWN_soft_reset)

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
