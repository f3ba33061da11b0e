import XenPublic

/// Why a domain ends (struct sched_shutdown's reason). The hypervisor
/// reports it, and dom0 can read it for the domains it manages.
struct ShutdownReason {
    let rawValue: UInt32

    /// Finished normally.
    static let poweroff = ShutdownReason(rawValue: UInt32(SHUTDOWN_poweroff))
    /// Wants to be started again.
    static let reboot = ShutdownReason(rawValue: UInt32(SHUTDOWN_reboot))
    /// Something went wrong inside the guest.
    static let crash = ShutdownReason(rawValue: UInt32(SHUTDOWN_crash))
}
