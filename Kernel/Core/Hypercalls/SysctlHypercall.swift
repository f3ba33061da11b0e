import XenPublic

/// sysctl(struct xen_sysctl *): machine-wide facts, for the privileged
/// domain. Only XEN_SYSCTL_physinfo, which dom0's builder uses to check
/// that a domain fits and that a destroyed domain's memory came back.
/// The struct (136 bytes, as in Xen) is read once and written back whole.
enum SysctlHypercall {
    @Sendable static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        var sysctl = try context.guest.read(xen_sysctl.self, at: call.first)
        guard sysctl.interface_version == UInt32(XEN_SYSCTL_INTERFACE_VERSION) else { throw .versionMismatch }
        guard Int32(bitPattern: sysctl.cmd) == XEN_SYSCTL_physinfo else { throw .notImplemented }
        sysctl.u.physinfo = physinfo(context.hypervisor.frames)
        try context.guest.write(sysctl, to: call.first)
        return 0
    }

    /// One CPU, one node; the memory as the frame source counts it. What is
    /// not measured or not exposed (cpu_khz, max_mfn, ...) is 0.
    private static func physinfo(_ frames: FrameSource) -> xen_sysctl_physinfo {
        var info = xen_sysctl_physinfo()
        info.threads_per_core = 1
        info.cores_per_socket = 1
        info.nr_cpus = 1
        info.max_cpu_id = 0
        info.nr_nodes = 1
        info.max_node_id = 0
        info.total_pages = UInt64(frames.totalFrames)
        info.free_pages = UInt64(frames.freeFrames)
        return info
    }
}
