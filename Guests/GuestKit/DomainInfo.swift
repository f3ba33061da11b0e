import XenPublic

/// What getdomaininfo says about one domain at one moment, with its flag
/// word decoded.
struct DomainInfo {
    let id: DomainID
    /// XEN_DOMINF_* bits, the shutdown reason in bits 23:16.
    let flags: UInt32
    /// Pages the domain has now.
    let totalPages: UInt64
    /// The most it may have (max_mem).
    let maxPages: UInt64

    init(_ raw: xen_domctl_getdomaininfo) {
        id = raw.domain
        flags = raw.flags
        totalPages = raw.tot_pages
        maxPages = raw.max_pages
    }

    /// Ended: powered off, crashed (by itself or by the hypervisor), ...
    /// A shut-down domain keeps its memory until it is destroyed.
    var isShutdown: Bool { has(XEN_DOMINF_shutdown) }

    /// Why it ended; nil while it has not.
    var shutdownReason: ShutdownReason? {
        guard isShutdown else { return nil }
        let reason = (flags >> UInt32(XEN_DOMINF_shutdownshift)) & UInt32(XEN_DOMINF_shutdownmask)
        return ShutdownReason(rawValue: reason)
    }

    /// Being destroyed.
    var isDying: Bool { has(XEN_DOMINF_dying) }
    /// Paused by the toolstack (new domains start paused).
    var isPaused: Bool { has(XEN_DOMINF_paused) }
    /// Waiting for an event.
    var isBlocked: Bool { has(XEN_DOMINF_blocked) }
    /// On a CPU right now.
    var isRunning: Bool { has(XEN_DOMINF_running) }

    private func has(_ bit: UInt32) -> Bool { flags & bit != 0 }
}
