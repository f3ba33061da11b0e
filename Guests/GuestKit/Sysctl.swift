import XenPublic

/// sysctl: questions about the whole machine, privileged domain only.
enum Sysctl {
    /// The machine's memory, in 4 KiB pages.
    struct PhysicalInfo {
        let totalPages: UInt64
        /// Pages no domain and no part of the hypervisor holds: what new
        /// domains can be given.
        let freePages: UInt64
    }

    static func physinfo() throws(HypercallFailure) -> PhysicalInfo {
        var sysctl = xen_sysctl()
        sysctl.cmd = UInt32(XEN_SYSCTL_physinfo)
        sysctl.interface_version = UInt32(XEN_SYSCTL_INTERFACE_VERSION)
        let result = withUnsafeMutablePointer(to: &sysctl) { pointer in
            Hypercall.call(UInt64(__HYPERVISOR_sysctl), Hypercall.argument(pointer))
        }
        if result < 0 { throw HypercallFailure(result: result) }
        return PhysicalInfo(totalPages: sysctl.u.physinfo.total_pages, freePages: sysctl.u.physinfo.free_pages)
    }
}
