/// Runs the domains' vCPUs until dom0 ends: dom0 is the machine, as in Xen.
///
/// Policy for now: round robin over the domains that can run, one slice at a
/// time; a slice ends when the domain blocks, yields, finishes or exits for
/// a timer. A domain that blocks (HLT, SCHEDOP_block) waits for an event;
/// if every unfinished domain is blocked and nothing can wake them, the
/// scheduler says so and stops.
struct Scheduler {
    let hypervisor: Hypervisor

    enum Ending {
        case domain0Finished
        case deadlocked
    }

    func runUntilDomain0Ends() -> Ending {
        var next = 0
        while true {
            if let dom0 = hypervisor.domain0, dom0.state.isFinished { return .domain0Finished }
            let runnable = hypervisor.domains.filter { $0.state == .running }
            if runnable.isEmpty { return .deadlocked }
            let domain = runnable[next % runnable.count]
            next += 1
            runSlice(domain)
        }
    }

    /// Runs one domain's vCPU until it stops running or yields.
    private func runSlice(_ domain: Domain) {
        let vcpu = domain.vcpus[0]
        let handler = VMExitHandler(hypervisor: hypervisor, domain: domain, vcpu: vcpu)
        hypervisor.yieldRequested = false
        while domain.state == .running && !hypervisor.yieldRequested {
            handler.handle(hypervisor.backend.run(vcpu))
        }
        if domain.state.isFinished { hypervisor.domainFinished(domain) }
    }
}
