import XenPublic

/// Makes struct xen_domctl_getdomaininfo, the record XEN_DOMCTL_getdomaininfo
/// answers with, for one domain. (GuestKit's DomainInfo decodes it.) What
/// is not kept here (outstanding, shared and paged pages, the shared_info
/// frame, ssidref, cpupool) reads as 0.
enum DomainInfoRecord {
    static func make(for domain: Domain) -> xen_domctl_getdomaininfo {
        var info = xen_domctl_getdomaininfo()
        info.domain = domain.id
        info.flags = flags(domain)
        info.tot_pages = UInt64(domain.memory.frameCount)
        info.max_pages = UInt64(domain.maximumFrames)
        info.cpu_time = domain.scheduling.cpuTime                 // ns
        info.nr_online_vcpus = UInt32(domain.vcpus.count)
        info.max_vcpu_id = 0
        withUnsafeMutableBytes(of: &info.handle) { handle in
            for (index, byte) in domain.handle.prefix(handle.count).enumerated() { handle[index] = byte }
        }
        return info
    }

    /// XEN_DOMINF_* bits; a domain the hypervisor crashed reads as shut
    /// down with SHUTDOWN_crash, as in Xen.
    static func flags(_ domain: Domain) -> UInt32 {
        var flags = UInt32(XEN_DOMINF_hvm_guest) | UInt32(XEN_DOMINF_hap)
        switch domain.state {
        case .paused: flags |= UInt32(XEN_DOMINF_paused)
        case .running: flags |= UInt32(XEN_DOMINF_running)
        case .blocked: flags |= UInt32(XEN_DOMINF_blocked)
        case .shutdown(let reason):
            flags |= UInt32(XEN_DOMINF_shutdown) | ((reason & 0xFF) << UInt32(XEN_DOMINF_shutdownshift))
        case .crashed:
            flags |= UInt32(XEN_DOMINF_shutdown) | (ShutdownReasonCode.crash << UInt32(XEN_DOMINF_shutdownshift))
        }
        return flags
    }
}
