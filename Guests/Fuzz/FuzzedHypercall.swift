import XenPublic

/// The hypercalls the fuzzer aims at most of the time (the ones the
/// hypervisor implements, and the next two it will), with the names its
/// histogram prints. One list for both uses.
struct FuzzedHypercall {
    let number: Int32
    let name: StaticString

    static let all: [FuzzedHypercall] = [
        FuzzedHypercall(number: __HYPERVISOR_xen_version, name: "xen_version"),
        FuzzedHypercall(number: __HYPERVISOR_console_io, name: "console_io"),
        FuzzedHypercall(number: __HYPERVISOR_sched_op, name: "sched_op"),
        FuzzedHypercall(number: __HYPERVISOR_vcpu_op, name: "vcpu_op"),
        FuzzedHypercall(number: __HYPERVISOR_set_timer_op, name: "set_timer_op"),
        FuzzedHypercall(number: __HYPERVISOR_hvm_op, name: "hvm_op"),
        FuzzedHypercall(number: __HYPERVISOR_memory_op, name: "memory_op"),
        FuzzedHypercall(number: __HYPERVISOR_domctl, name: "domctl"),
        FuzzedHypercall(number: __HYPERVISOR_sysctl, name: "sysctl"),
        FuzzedHypercall(number: __HYPERVISOR_grant_table_op, name: "grant_table_op"),
        FuzzedHypercall(number: __HYPERVISOR_event_channel_op, name: "event_channel_op"),
    ]

    /// The name for a histogram row: the list's, or "hypercall N".
    static func name(of number: Int) -> String {
        for hypercall in all where Int(hypercall.number) == number { return "\(hypercall.name)" }
        return "hypercall \(number)"
    }
}
