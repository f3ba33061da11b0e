import XenPublic

/// The hypercall table, like a Unix system-call table: one row per
/// hypercall this hypervisor implements, with its Xen number
/// (xen_hypercalls.h), the name logs and counters use, who may make it,
/// and its handler. Dispatch, the debug trace, the per-domain counters and
/// Docs/ABI.md's list (checked by a host test) all come from these rows;
/// a number not in the table is -ENOSYS.
enum HypercallTable {
    static let entries: [HypercallEntry] = [
        HypercallEntry(__HYPERVISOR_memory_op,    "memory_op",    .anyDomain,      MemoryOpHypercall.handle),
        HypercallEntry(__HYPERVISOR_set_timer_op, "set_timer_op", .anyDomain,      SetTimerOpHypercall.handle),
        HypercallEntry(__HYPERVISOR_xen_version,  "xen_version",  .anyDomain,      XenVersionHypercall.handle),
        HypercallEntry(__HYPERVISOR_console_io,   "console_io",   .anyDomain,      ConsoleIOHypercall.handle),
        HypercallEntry(__HYPERVISOR_vcpu_op,      "vcpu_op",      .anyDomain,      VCPUOpHypercall.handle),
        HypercallEntry(__HYPERVISOR_sched_op,     "sched_op",     .anyDomain,      SchedOpHypercall.handle),
        HypercallEntry(__HYPERVISOR_hvm_op,       "hvm_op",       .anyDomain,      HVMOpHypercall.handle),
        HypercallEntry(__HYPERVISOR_sysctl,       "sysctl",       .privilegedOnly, SysctlHypercall.handle),
        HypercallEntry(__HYPERVISOR_domctl,       "domctl",       .privilegedOnly, DomctlHypercall.handle),
    ]

    /// The row for `number`, as its position in `entries` (the index of its
    /// counters too); nil for a number the table lacks. A linear scan: the
    /// table is short, and this keeps it the only list of numbers.
    static func position(of number: UInt64) -> Int? {
        guard number <= UInt64(Int32.max) else { return nil }
        let wanted = Int32(number)
        for position in entries.indices where entries[position].number == wanted {
            return position
        }
        return nil
    }

    /// The name for logs: the table's, or "hypercall N" for an unknown N.
    static func name(of number: UInt64) -> String {
        guard let position = position(of: number) else { return "hypercall \(number)" }
        return "\(entries[position].name)"
    }
}
