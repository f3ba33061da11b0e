import XenPublic

/// sysctl(struct xen_sysctl *): machine-wide facts, for the privileged
/// domain. Only XEN_SYSCTL_physinfo, which dom0's builder uses to check
/// that a domain fits and that a destroyed domain's memory came back.
enum SysctlHypercall {
    static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        var record = try GuestRecord.read(8 + 72, at: call.first, from: context.guest)
        guard record.u32(4) == UInt32(XEN_SYSCTL_INTERFACE_VERSION) else { throw .versionMismatch }
        guard Int32(bitPattern: record.u32(0)) == XEN_SYSCTL_physinfo else { throw .notImplemented }
        let frames = context.hypervisor.frames
        let info = 8
        record.set(info + 0, UInt32(1))          // threads_per_core
        record.set(info + 4, UInt32(1))          // cores_per_socket
        record.set(info + 8, UInt32(1))          // nr_cpus
        record.set(info + 12, UInt32(0))         // max_cpu_id
        record.set(info + 16, UInt32(1))         // nr_nodes
        record.set(info + 20, UInt32(0))         // max_node_id
        record.set(info + 24, UInt32(0))         // cpu_khz: not measured here
        record.set(info + 28, UInt32(0))         // capabilities
        record.set(info + 32, UInt64(frames.totalFrames))
        record.set(info + 40, UInt64(frames.freeFrames))
        record.set(info + 48, UInt64(0))         // scrub_pages
        record.set(info + 56, UInt64(0))         // outstanding_pages
        record.set(info + 64, UInt64(0))         // max_mfn: not exposed
        try record.write(to: call.first, in: context.guest)
        return 0
    }
}
