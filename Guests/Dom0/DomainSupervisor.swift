/// Dom0's wait loop over the domains it started: a round asks the
/// hypervisor about each one still going (getdomaininfo), reports every
/// domain that has ended, once, and then yields the CPU so the domains can
/// run. It ends when every domain has ended or been destroyed.
///
/// What happens to an ended domain follows Xen's defaults: it is destroyed
/// at once (on_poweroff=destroy), except one that crashed with
/// on_crash=preserve, which keeps its memory for inspection until dom0
/// cleans up at the very end. Domains with stop_after=others are services
/// that never end by themselves: they are destroyed as soon as every other
/// domain has ended.
///
/// Nothing here allocates in a round that reports nothing: the guest heap
/// never frees, and this loop may run for a long time.
enum DomainSupervisor {
    static func waitForAll(_ domains: [StartedDomain]) {
        var servicesStopped = false
        while !domains.allSatisfy({ $0.hasEnded }) {
            for domain in domains where !domain.hasEnded { check(domain) }
            if !servicesStopped && domains.allSatisfy({ $0.hasEnded || $0.config.stopsAfterOthers }) {
                for domain in domains where !domain.hasEnded { stopService(domain) }
                servicesStopped = true
            }
            try? SchedOp.yield()
        }
    }

    /// Destroys what the wait loop left: crashed domains kept for
    /// inspection (on_crash=preserve). Their memory only comes back now,
    /// and dom0's memory check afterwards needs all of it back.
    static func destroyRemaining(_ domains: [StartedDomain]) {
        for domain in domains where !domain.isDestroyed {
            destroy(domain, saying: "destroyed (kept until the end)")
        }
    }

    private static func check(_ domain: StartedDomain) {
        let info: DomainInfo
        do throws(HypercallFailure) {
            info = try Domctl.info(domain.id)
        } catch {
            // Nobody but dom0 should destroy its domains: say so loudly.
            print("dom0: \(domain.label) ended: vanished (getdomaininfo: \(error.name))")
            domain.hasEnded = true
            domain.isDestroyed = true
            return
        }
        guard let reason = info.shutdownReason else { return }
        domain.hasEnded = true
        print("dom0: \(domain.label) ended: \(reason.name)")
        if reason == .crash && domain.config.onCrash == .preserve {
            print("dom0: \(domain.label) preserved (on_crash=preserve): \(info.totalPages) pages kept until the end")
        } else {
            destroy(domain, saying: nil)
        }
    }

    private static func stopService(_ domain: StartedDomain) {
        domain.hasEnded = true
        destroy(domain, saying: "destroyed while running")
    }

    /// destroydomain; prints `saying` after the label when it worked, and
    /// always when it failed.
    private static func destroy(_ domain: StartedDomain, saying: StaticString?) {
        do throws(HypercallFailure) {
            try Domctl.destroy(domain.id)
            domain.isDestroyed = true
            if let saying { print("dom0: \(domain.label) \(saying)") }
        } catch {
            print("dom0: \(domain.label): destroydomain failed: \(error.name) (\(error.result))")
        }
    }
}
