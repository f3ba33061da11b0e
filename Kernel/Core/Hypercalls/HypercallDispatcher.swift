import XenPublic

/// The hypercall table: number -> handler, like a system-call table.
/// Every number not listed here returns -ENOSYS.
enum HypercallDispatcher {
    /// Runs one hypercall and returns the value for the guest's RAX.
    static func dispatch(_ call: HypercallArguments, _ context: HypercallContext) -> UInt64 {
        do throws(HypercallError) {
            return try handle(call, context)
        } catch {
            return error.returnValue
        }
    }

    private static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        switch call.number {
        case UInt64(__HYPERVISOR_xen_version): return try XenVersionHypercall.handle(call, context)
        case UInt64(__HYPERVISOR_console_io): return try ConsoleIOHypercall.handle(call, context)
        case UInt64(__HYPERVISOR_sched_op): return try SchedOpHypercall.handle(call, context)
        case UInt64(__HYPERVISOR_vcpu_op): return try VCPUOpHypercall.handle(call, context)
        case UInt64(__HYPERVISOR_set_timer_op): return SetTimerOpHypercall.handle(call, context)
        case UInt64(__HYPERVISOR_hvm_op): return try HVMOpHypercall.handle(call, context)
        case UInt64(__HYPERVISOR_memory_op): return try MemoryOpHypercall.handle(call, context)
        case UInt64(__HYPERVISOR_domctl): return try DomctlHypercall.handle(call, context)
        case UInt64(__HYPERVISOR_sysctl): return try SysctlHypercall.handle(call, context)
        default: throw .notImplemented
        }
    }

    /// Names for logs and benchmarks.
    static func name(_ number: UInt64) -> String {
        switch number {
        case UInt64(__HYPERVISOR_memory_op): "memory_op"
        case UInt64(__HYPERVISOR_set_timer_op): "set_timer_op"
        case UInt64(__HYPERVISOR_xen_version): "xen_version"
        case UInt64(__HYPERVISOR_console_io): "console_io"
        case UInt64(__HYPERVISOR_grant_table_op): "grant_table_op"
        case UInt64(__HYPERVISOR_vcpu_op): "vcpu_op"
        case UInt64(__HYPERVISOR_sched_op): "sched_op"
        case UInt64(__HYPERVISOR_event_channel_op): "event_channel_op"
        case UInt64(__HYPERVISOR_hvm_op): "hvm_op"
        case UInt64(__HYPERVISOR_domctl): "domctl"
        case UInt64(__HYPERVISOR_sysctl): "sysctl"
        default: "hypercall \(number)"
        }
    }
}
