import XenPublic

/// domctl(struct xen_domctl *): how the privileged domain creates, starts,
/// inspects and destroys other domains. The struct is read once, handled,
/// and written back whole (OUT fields included).
///
/// Offsets below are into struct xen_domctl (xen_domctl.h): cmd at 0,
/// interface_version at 4, domain at 8, the payload union at 16.
enum DomctlHypercall {
    static let payload = 16
    /// The header and the largest payload we read or write.
    static let recordSize = 16 + 128

    static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        var record = try GuestRecord.read(recordSize, at: call.first, from: context.guest)
        guard record.u32(4) == UInt32(XEN_DOMCTL_INTERFACE_VERSION) else { throw .versionMismatch }
        let domainID = record.u16(8)
        let hypervisor = context.hypervisor

        switch Int32(bitPattern: record.u32(0)) {
        case XEN_DOMCTL_createdomain:
            let domain = try DomainFactory.create(from: record, requestedID: domainID, on: hypervisor)
            record.set(8, domain.id)
        case XEN_DOMCTL_getdomaininfo:
            guard let domain = hypervisor.domains.filter({ $0.id >= domainID }).min(by: { $0.id < $1.id }) else {
                throw .noSuchDomain
            }
            record.set(8, domain.id)
            DomainInfoRecord.fill(&record, at: payload, from: domain)
        case XEN_DOMCTL_destroydomain:
            let target = try otherDomain(domainID, context)
            hypervisor.destroy(target)
            return 0        // the domain is gone: nothing to write back
        case XEN_DOMCTL_pausedomain:
            let target = try otherDomain(domainID, context)
            guard !target.state.isFinished else { throw .invalidArgument }
            target.state = .paused
        case XEN_DOMCTL_unpausedomain:
            let target = try otherDomain(domainID, context)
            guard target.state == .paused else { throw .invalidArgument }
            guard !target.vcpus.isEmpty else { throw .invalidArgument }   // no context set yet
            target.state = .running
        case XEN_DOMCTL_max_mem:
            let target = try otherDomain(domainID, context)
            let frames = record.u64(payload) / 4
            guard frames <= UInt64(DomainMemory.frameLimit) else { throw .invalidArgument }
            target.maximumFrames = Int(frames)
        case XEN_DOMCTL_max_vcpus:
            _ = try otherDomain(domainID, context)
            guard record.u32(payload) == 1 else { throw .invalidArgument }   // one vCPU per domain here
        case XEN_DOMCTL_setvcpucontext:
            let target = try otherDomain(domainID, context)
            guard record.u32(payload) == 0 else { throw .invalidArgument }
            let state = try GuestRecord.read(8 + 120, at: record.u64(payload + 8), from: context.guest)
            try VCPUContext.apply(state, to: target, on: hypervisor)
        default:
            throw .notImplemented
        }
        try record.write(to: call.first, in: context.guest)
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
