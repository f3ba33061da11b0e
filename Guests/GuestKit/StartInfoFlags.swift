import XenPublic

/// hvm_start_info.flags (SIF_*).
struct StartInfoFlags: OptionSet {
    let rawValue: UInt32

    /// The domain may manage others (dom0).
    static let privileged = StartInfoFlags(rawValue: UInt32(SIF_PRIVILEGED))
    /// The domain is the first one the hypervisor started.
    static let initialDomain = StartInfoFlags(rawValue: UInt32(SIF_INITDOMAIN))
}
