/// How domains end. A domain that shuts down or is crashed stops running at
/// once but keeps its memory, so that dom0 can still ask how it ended; its
/// memory goes back when dom0 destroys it (XEN_DOMCTL_destroydomain), as in
/// Xen. Each end is reported once with a `(HV) domain-end` line, which xtool
/// collects into its end-of-boot report.
extension Hypervisor {
    var domain0: Domain? { domains.first { $0.id == 0 } }

    /// Called when a domain's state has just become shutdown or crashed.
    func domainFinished(_ domain: Domain) {
        if !domain.consoleLine.isEmpty { ConsoleIOHypercall.flush(domain) }
        let exits = domain.vcpus.reduce(0) { $0 + $1.exitCount }
        Log.info("d\(domain.id) (\(domain.name)): \(domain.state.description) after \(exits) exits")
        reportCounters(domain)
        reportEnd(domain, how: Self.endDescription(domain.state))
        // Tells dom0's toolstack, as Xen does on every shutdown and crash.
        sendGlobalVirtualInterrupt(.domainException)
    }

    /// What the domain's vCPUs did, by exit kind and by hypercall: where a
    /// student starts when a guest is slow or misbehaves. Both backends
    /// count every hardware exit in Core (VMExitHandler.handle), so the
    /// lines mean the same on VMX and SVM.
    private func reportCounters(_ domain: Domain) {
        let exits = domain.exitCounters.summary
        if !exits.isEmpty { Log.info("d\(domain.id) (\(domain.name)): exits: \(exits)") }
        let hypercalls = domain.hypercallCounters.summary
        if !hypercalls.isEmpty { Log.info("d\(domain.id) (\(domain.name)): hypercalls: \(hypercalls)") }
    }

    /// Destroys a domain: its event channels, its vCPUs, the grants it
    /// maps, any foreign mapping of its memory in another domain, its
    /// memory, its nested page tables, its grant table and shared_info
    /// page; then tells dom0 (VIRQ_DOM_EXC). It disappears from the domain
    /// list. Another domain's foreign mappings go first (dom0 expects them
    /// gone), so every frame is free when this returns, except one that
    /// another domain still maps by grant: it goes back once unmapped
    /// (FrameReferences), as in Xen.
    func destroy(_ domain: Domain) {
        if !domain.state.isFinished {
            if !domain.consoleLine.isEmpty { ConsoleIOHypercall.flush(domain) }
            reportCounters(domain)
            reportEnd(domain, how: "destroyed")
        }
        // Before the vCPUs go: closing a VIRQ's port clears their bindings.
        // The other ends of its interdomain channels are left unbound.
        closeAllEventChannels(of: domain)
        for vcpu in domain.vcpus { backend.destroyVCPU(vcpu) }
        domain.vcpus.removeAll()
        // The grants it maps go back to their granters; the mappings of its
        // grants elsewhere stay until unmapped (their frames with them).
        releaseGrants(of: domain)
        for other in domains where other !== domain {
            other.removeForeignMappings(of: domain.id, backend: backend)
        }
        domain.memory.release()
        // After the physmap, which held the references to its frames.
        domain.grantTable.release()
        domain.sharedInfo = nil
        remove(domain)
        Log.info("d\(domain.id) (\(domain.name)): destroyed, memory returned")
        sendGlobalVirtualInterrupt(.domainException)
    }

    /// "poweroff", "crash", ... for a shutdown; "crashed (why)" when the
    /// hypervisor stopped it.
    static func endDescription(_ state: DomainState) -> String {
        switch state {
        case .shutdown(let reason): ShutdownReasonCode.name(reason)
        case .crashed(let why): "crashed (\(why))"
        default: state.description
        }
    }

    private func reportEnd(_ domain: Domain, how: String) {
        print("(HV) domain-end d\(domain.id) \(domain.name): \(how)")
    }
}
