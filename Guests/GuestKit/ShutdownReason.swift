import XenPublic

/// Why a domain ends (struct sched_shutdown's reason). The hypervisor
/// reports it, and dom0 reads it back through getdomaininfo for the domains
/// it manages.
struct ShutdownReason: Equatable {
    let rawValue: UInt32

    /// Finished normally.
    static let poweroff = ShutdownReason(rawValue: UInt32(SHUTDOWN_poweroff))
    /// Wants to be started again.
    static let reboot = ShutdownReason(rawValue: UInt32(SHUTDOWN_reboot))
    /// Asked to be suspended (its state saved).
    static let suspend = ShutdownReason(rawValue: UInt32(SHUTDOWN_suspend))
    /// Something went wrong inside the guest, or the hypervisor ended it
    /// for a fault it could not handle.
    static let crash = ShutdownReason(rawValue: UInt32(SHUTDOWN_crash))
    /// A watchdog expired.
    static let watchdog = ShutdownReason(rawValue: UInt32(SHUTDOWN_watchdog))
    /// Wants to be restarted in place.
    static let softReset = ShutdownReason(rawValue: UInt32(SHUTDOWN_soft_reset))

    /// Xen's word for the reason, for reports ("poweroff", "crash", ...).
    var name: StaticString {
        switch self {
        case .poweroff: "poweroff"
        case .reboot: "reboot"
        case .suspend: "suspend"
        case .crash: "crash"
        case .watchdog: "watchdog"
        case .softReset: "soft_reset"
        default: "unknown reason"
        }
    }
}
