/// Runs the domains' vCPUs until every domain has finished.
///
/// Policy for now: round robin over the domains that can run, one exit at a
/// time. A domain that blocks (HLT, SCHEDOP_block) waits for an event; with
/// no event sources yet, if every unfinished domain is blocked nothing can
/// ever wake them, and the scheduler says so and stops.
struct Scheduler {
    let hypervisor: Hypervisor

    enum Ending {
        case allFinished
        case deadlocked
    }

    func runUntilAllFinished() -> Ending {
        var next = 0
        while true {
            let runnable = hypervisor.domains.filter { $0.state == .running }
            if runnable.isEmpty {
                return hypervisor.domains.allSatisfy({ $0.state.isFinished }) ? .allFinished : .deadlocked
            }
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
        if domain.state.isFinished { finish(domain) }
    }

    /// A finished domain's vCPUs and memory go back at once; the domain
    /// stays listed so its end can be reported.
    private func finish(_ domain: Domain) {
        if let line = domain.consoleLine.isEmpty ? nil : domain.consoleLine, !line.isEmpty {
            ConsoleIOHypercall.flush(domain)
        }
        Log.info("d\(domain.id) (\(domain.name)): \(domain.state.description) after \(domain.vcpus[0].exitCount) exits")
        for vcpu in domain.vcpus { hypervisor.backend.destroyVCPU(vcpu) }
        domain.memory.release()
    }
}
