import XenPublic

/// Fills struct xen_domctl_getdomaininfo, the record XEN_DOMCTL_getdomaininfo
/// answers with, for one domain. (GuestKit's DomainInfo decodes it.)
enum DomainInfoRecord {
    static func fill(_ record: inout GuestRecord, at base: Int, from domain: Domain) {
        record.set(base + 0, domain.id)
        record.set(base + 2, UInt16(0))
        record.set(base + 4, flags(domain))
        record.set(base + 8, UInt64(domain.memory.frameCount))        // tot_pages
        record.set(base + 16, UInt64(domain.maximumFrames))           // max_pages
        for offset in stride(from: 24, through: 48, by: 8) {          // outstanding .. shared_info_frame
            record.set(base + offset, UInt64(0))
        }
        record.set(base + 56, domain.scheduling.cpuTime)              // cpu_time, ns
        record.set(base + 64, UInt32(domain.vcpus.count))             // nr_online_vcpus
        record.set(base + 68, UInt32(0))                              // max_vcpu_id
        record.set(base + 72, UInt32(0))                              // ssidref
        record.set(base + 76, bytes: domain.handle)
        record.set(base + 92, UInt32(0))                              // cpupool
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
