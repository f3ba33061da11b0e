import XenPublic

/// domctl(struct xen_domctl *): how the privileged domain creates, starts,
/// inspects and destroys other domains. The struct (144 bytes, as in Xen)
/// is read once, handled, and written back whole, OUT fields included.
enum DomctlHypercall {
    @Sendable static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        var domctl = try context.guest.read(xen_domctl.self, at: call.first)
        guard domctl.interface_version == UInt32(XEN_DOMCTL_INTERFACE_VERSION) else { throw .versionMismatch }
        let hypervisor = context.hypervisor

        switch Int32(bitPattern: domctl.cmd) {
        case XEN_DOMCTL_createdomain:
            let domain = try DomainFactory.create(from: domctl.u.createdomain, requestedID: domctl.domain,
                                                  on: hypervisor)
            domctl.domain = domain.id
        case XEN_DOMCTL_getdomaininfo:
            let asked = domctl.domain
            guard let domain = hypervisor.domains.filter({ $0.id >= asked }).min(by: { $0.id < $1.id }) else {
                throw .noSuchDomain
            }
            domctl.domain = domain.id
            domctl.u.getdomaininfo = DomainInfoRecord.make(for: domain)
        case XEN_DOMCTL_destroydomain:
            let target = try otherDomain(domctl.domain, context)
            hypervisor.destroy(target)
            return 0        // the domain is gone: nothing to write back
        case XEN_DOMCTL_pausedomain:
            let target = try otherDomain(domctl.domain, context)
            guard !target.state.isFinished else { throw .invalidArgument }
            target.state = .paused
        case XEN_DOMCTL_unpausedomain:
            let target = try otherDomain(domctl.domain, context)
            guard target.state == .paused else { throw .invalidArgument }
            guard !target.vcpus.isEmpty else { throw .invalidArgument }   // no context set yet
            target.state = .running
        case XEN_DOMCTL_max_mem:
            let target = try otherDomain(domctl.domain, context)
            let frames = domctl.u.max_mem.max_memkb / 4
            guard frames <= UInt64(DomainMemory.frameLimit) else { throw .invalidArgument }
            target.maximumFrames = Int(frames)
        case XEN_DOMCTL_max_vcpus:
            _ = try otherDomain(domctl.domain, context)
            guard domctl.u.max_vcpus.max == 1 else { throw .invalidArgument }   // one vCPU per domain here
        case XEN_DOMCTL_setvcpucontext:
            let target = try otherDomain(domctl.domain, context)
            let request = domctl.u.vcpucontext
            guard request.vcpu == 0 else { throw .invalidArgument }
            let state = try context.guest.read(vcpu_hvm_context.self, at: request.ctxt)
            try VCPUContext.apply(state, to: target, on: hypervisor)
        default:
            throw .notImplemented
        }
        try context.guest.write(domctl, to: call.first)
        return 0
    }

    /// The domain a command acts on: it must exist, and dom0 may not act on
    /// itself this way (destroying or pausing the caller would end the call).
    private static func otherDomain(_ id: UInt16, _ context: HypercallContext) throws(HypercallError) -> Domain {
        guard let target = context.hypervisor.domains.first(where: { $0.id == id }) else { throw .noSuchDomain }
        guard target !== context.domain, target.id != 0 else { throw .invalidArgument }
        return target
    }
}
