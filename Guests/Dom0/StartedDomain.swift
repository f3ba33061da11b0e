/// A domain dom0 built and started, as dom0's wait loop follows it.
final class StartedDomain {
    let id: DomainID
    let config: DomainConfig
    /// Its end (or its disappearance) has been reported.
    var hasEnded = false
    /// Destroyed: its memory is back with the hypervisor.
    var isDestroyed = false
    /// Asked to power off through control/shutdown: destroyed if it has
    /// not ended by this system time (ns).
    var shutdownDeadline: UInt64? = nil

    init(id: DomainID, config: DomainConfig) {
        self.id = id
        self.config = config
    }

    /// "d3 (web)", for messages.
    var label: String { "d\(id) (\(config.name.string))" }
}
