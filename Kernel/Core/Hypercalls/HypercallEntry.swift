/// One row of the hypercall table (HypercallTable).
struct HypercallEntry: Sendable {
    typealias Handler = @Sendable (HypercallArguments, HypercallContext) throws(HypercallError) -> UInt64

    /// Xen's number, __HYPERVISOR_* in xen_hypercalls.h.
    let number: Int32
    /// Xen's name without the prefix, as in logs and Docs/ABI.md.
    let name: StaticString
    let caller: HypercallCaller
    let schedulingEffect: SchedulingEffect
    let handler: Handler

    init(_ number: Int32, _ name: StaticString, _ caller: HypercallCaller, _ schedulingEffect: SchedulingEffect,
         _ handler: @escaping Handler) {
        self.number = number
        self.name = name
        self.caller = caller
        self.schedulingEffect = schedulingEffect
        self.handler = handler
    }
}

/// Who may make a hypercall. Checked once, by the dispatcher, before the
/// handler runs; handlers check only finer rules (a sub-op for dom0 only).
enum HypercallCaller {
    case anyDomain
    /// The privileged domain (dom0) only; any other gets -EPERM.
    case privilegedOnly
}
