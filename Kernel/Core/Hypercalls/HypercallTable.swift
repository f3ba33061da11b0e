import XenPublic

/// The hypercall table, like a Unix system-call table: one row per
/// hypercall this hypervisor implements, with its Xen number
/// (xen_hypercalls.h), the name logs and counters use, who may make it,
/// whether the scheduler must look again after it (SchedulingEffect: a
/// row that can set a timer, wake, block, yield or end a domain says
/// `.mayReschedule`), and its handler. Dispatch, the debug trace, the per-domain counters and
/// Docs/ABI.md's list (checked by a host test) all come from these rows;
/// a number not in the table is -ENOSYS.
enum HypercallTable {
    static let entries: [HypercallEntry] = [
        HypercallEntry(__HYPERVISOR_memory_op,        "memory_op",        .anyDomain,      .none,           MemoryOpHypercall.handle),
        HypercallEntry(__HYPERVISOR_set_timer_op,     "set_timer_op",     .anyDomain,      .mayReschedule,  SetTimerOpHypercall.handle),
        HypercallEntry(__HYPERVISOR_xen_version,      "xen_version",      .anyDomain,      .none,           XenVersionHypercall.handle),
        HypercallEntry(__HYPERVISOR_console_io,       "console_io",       .anyDomain,      .mayReschedule,  ConsoleIOHypercall.handle),
        HypercallEntry(__HYPERVISOR_grant_table_op,   "grant_table_op",   .anyDomain,      .none,           GrantTableOpHypercall.handle),
        HypercallEntry(__HYPERVISOR_vcpu_op,          "vcpu_op",          .anyDomain,      .mayReschedule,  VCPUOpHypercall.handle),
        HypercallEntry(__HYPERVISOR_sched_op,         "sched_op",         .anyDomain,      .mayReschedule,  SchedOpHypercall.handle),
        HypercallEntry(__HYPERVISOR_event_channel_op, "event_channel_op", .anyDomain,      .mayReschedule,  EventChannelOpHypercall.handle),
        HypercallEntry(__HYPERVISOR_hvm_op,           "hvm_op",           .anyDomain,      .mayReschedule,  HVMOpHypercall.handle),
        HypercallEntry(__HYPERVISOR_sysctl,           "sysctl",           .privilegedOnly, .none,           SysctlHypercall.handle),
        HypercallEntry(__HYPERVISOR_domctl,           "domctl",           .privilegedOnly, .mayReschedule,  DomctlHypercall.handle),
    ]

    /// The row for `number`, as its position in `entries` (the index of its
    /// counters too); nil for a number the table lacks.
    @inline(__always)
    static func position(of number: UInt64) -> Int? {
        guard number < UInt64(positionByNumber.count) else { return nil }
        let position = positionByNumber[Int(number)]
        return position == noRow ? nil : Int(position)
    }

    /// `entries` inverted once, so that dispatch is one array load rather
    /// than a scan (whose copies of each row's handler cost more than the
    /// rest of a hypercall). Derived from `entries`, never written by hand.
    private static let positionByNumber: [UInt8] = {
        let highest = entries.reduce(0) { max($0, Int($1.number)) }
        var positions = [UInt8](repeating: noRow, count: highest + 1)
        for (position, entry) in entries.enumerated() { positions[Int(entry.number)] = UInt8(position) }
        return positions
    }()
    private static let noRow: UInt8 = 0xFF

    /// The name for logs: the table's, or "hypercall N" for an unknown N.
    static func name(of number: UInt64) -> String {
        guard let position = position(of: number) else { return "hypercall \(number)" }
        return "\(entries[position].name)"
    }
}
