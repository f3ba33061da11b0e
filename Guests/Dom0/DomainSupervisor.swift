import XenPublic

/// Dom0's watch over the domains it started. Xen tells dom0 when a domain
/// shuts down, crashes or is destroyed by raising VIRQ_DOM_EXC, so dom0
/// binds that VIRQ to a port once and then sleeps on it: a round clears
/// the port's pending bit, asks the hypervisor about each domain still
/// going (getdomaininfo), reports every domain that has ended, once, and
/// waits with SCHEDOP_poll for the port again. It ends when every domain
/// has ended or been destroyed.
///
/// The bit is cleared before the domains are asked, so a domain that ends
/// while they are being asked raises it again and the poll returns at once:
/// no end is missed. The poll has no timeout on purpose (except while a
/// domain asked to power off has a deadline): if an event were ever lost,
/// dom0 would sleep for good and the hypervisor would report a deadlock,
/// instead of a timer hiding the bug.
///
/// What happens to an ended domain is its config's on_poweroff, on_reboot
/// or on_crash: destroyed at once (Xen's default), or, with preserve, kept
/// with its memory for inspection until dom0 cleans up at the very end. Domains with stop_after=others are services
/// that never end by themselves: once every other domain has ended, each
/// is asked to power off the way libxl asks (control/shutdown =
/// "poweroff"), and destroyed if it has not within `shutdownGrace`.
/// (Destroying a domain raises VIRQ_DOM_EXC too, which only costs one more
/// round.)
///
/// The same wait serves the domains' consoles and store rings
/// (DomainServices): the poll waits for VIRQ_DOM_EXC or any of their
/// ports, and each round first serves every port that fired. The port
/// list is made once per round, from the services' current ports.
struct DomainSupervisor {
    /// The port VIRQ_DOM_EXC is bound to.
    let port: evtchn_port_t
    /// The port VIRQ_CONSOLE is bound to: keys typed on the machine's
    /// console, which go to the console of the first running domain of
    /// the manifest (as `xl console` would attach to it); nil if the
    /// hypervisor refused it (dom0 then just takes no input).
    let inputPort: evtchn_port_t?
    private let page: SharedInfoView
    let services: DomainServices
    /// How long a domain asked to power off has to do it (ns of system time).
    static let shutdownGrace: UInt64 = 500_000_000

    /// Binds VIRQ_DOM_EXC and maps shared_info (where the port's pending
    /// bit is). Both take a page from the hypervisor's free memory: do this
    /// before counting the free pages that must come back.
    static func start() throws(HypercallFailure) -> DomainSupervisor {
        let page = try SharedInfoView.map()
        let port = try EventChannelOp.bindVirtualInterrupt(VIRQ_DOM_EXC)
        let inputPort = try? EventChannelOp.bindVirtualInterrupt(VIRQ_CONSOLE)
        return DomainSupervisor(port: port, inputPort: inputPort, page: page, services: DomainServices())
    }

    func waitForAll(_ domains: [StartedDomain]) {
        var servicesStopped = false
        var pollFailed = false
        var checkDomains = true
        while true {
            serveFiredPorts()
            if checkDomains {
                page.clearPending(port)
                for domain in domains where !domain.hasEnded { check(domain) }
                if !servicesStopped && domains.allSatisfy({ $0.hasEnded || $0.config.stopsAfterOthers }) {
                    for domain in domains where !domain.hasEnded { askToStop(domain) }
                    servicesStopped = true
                }
            }
            destroyOverdue(domains)
            if domains.allSatisfy({ $0.hasEnded }) { return }
            let deadline = domains.compactMap { $0.hasEnded ? nil : $0.shutdownDeadline }.min()
            checkDomains = waitForEvent(&pollFailed, until: deadline)
        }
    }

    /// Serves each console and store port that is pending, clearing its
    /// bit first (an event that comes while it is served sets it again).
    private func serveFiredPorts() {
        for servicePort in services.ports where page.isPending(servicePort) {
            page.clearPending(servicePort)
            services.handle(port: servicePort)
        }
        if let inputPort, page.isPending(inputPort) {
            page.clearPending(inputPort)
            services.forwardConsoleInput()
        }
    }

    /// Sleeps until VIRQ_DOM_EXC or a service port is pending (at once if
    /// one is already); true if it was VIRQ_DOM_EXC. A poll that fails (it
    /// cannot, with valid ports) is said once, and then dom0 yields
    /// instead: slower, but it still sees every event.
    /// With a `deadline` (system time), it also returns once that passed.
    private func waitForEvent(_ pollFailed: inout Bool, until deadline: UInt64?) -> Bool {
        let ports = [port] + services.ports + (inputPort.map { [$0] } ?? [])
        while true {
            if page.isPending(port) { return true }
            if ports.contains(where: { page.isPending($0) }) { return false }
            if let deadline, SystemTimeReader.now() >= deadline { return false }
            do throws(HypercallFailure) {
                try SchedOp.poll(ports: ports, timeout: deadline)
            } catch {
                if !pollFailed { print("dom0: SCHEDOP_poll failed: \(error.name) (\(error.result)); yielding instead") }
                pollFailed = true
                try? SchedOp.yield()
            }
        }
    }

    /// Destroys what the wait loop left: crashed domains kept for
    /// inspection (on_crash=preserve). Their memory only comes back now,
    /// and dom0's memory check afterwards needs all of it back.
    func destroyRemaining(_ domains: [StartedDomain]) {
        for domain in domains where !domain.isDestroyed {
            destroy(domain, saying: "destroyed (kept until the end)")
        }
    }

    private func check(_ domain: StartedDomain) {
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
        if domain.config.action(for: reason) == .preserve {
            print("dom0: \(domain.label) preserved (on_\(reason.name)=preserve): \(info.totalPages) pages kept until the end")
        } else {
            destroy(domain, saying: nil)
        }
    }

    /// libxl's shutdown request: a guest that watches control/shutdown
    /// powers off by itself; one that does not is destroyed after the grace.
    private func askToStop(_ domain: StartedDomain) {
        services.requestShutdown(domain.id)
        domain.shutdownDeadline = SystemTimeReader.now() + Self.shutdownGrace
        print("dom0: \(domain.label) asked to power off (control/shutdown)")
    }

    private func destroyOverdue(_ domains: [StartedDomain]) {
        let now = SystemTimeReader.now()
        for domain in domains where !domain.hasEnded {
            guard let deadline = domain.shutdownDeadline, now >= deadline else { continue }
            domain.hasEnded = true
            destroy(domain, saying: "destroyed while running (no poweroff within 500 ms of the request)")
        }
    }

    /// destroydomain; prints `saying` after the label when it worked, and
    /// always when it failed.
    private func destroy(_ domain: StartedDomain, saying: StaticString?) {
        // Its console's last words first, then what dom0 served it.
        services.release(domain.id)
        do throws(HypercallFailure) {
            try Domctl.destroy(domain.id)
            domain.isDestroyed = true
            if let saying { print("dom0: \(domain.label) \(saying)") }
        } catch {
            print("dom0: \(domain.label): destroydomain failed: \(error.name) (\(error.result))")
        }
    }
}
