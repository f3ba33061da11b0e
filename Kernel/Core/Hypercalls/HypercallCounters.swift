/// How often one domain made each hypercall and how often it failed, by
/// position in the hypercall table, with one extra slot at the end for
/// numbers the table lacks. Sized once when the domain is made, so counting
/// never allocates.
struct HypercallCounters {
    private(set) var calls: [UInt64]
    private(set) var failures: [UInt64]

    init() {
        calls = [UInt64](repeating: 0, count: HypercallTable.entries.count + 1)
        failures = calls
    }

    /// Counts one call of the hypercall at `position` (nil: unknown number).
    mutating func count(_ position: Int?, failed: Bool) {
        let slot = position ?? HypercallTable.entries.count
        calls[slot] += 1
        if failed { failures[slot] += 1 }
    }

    /// "console_io 300, sched_op 12 (2 failed), unknown 1 (1 failed)":
    /// the hypercalls made, in table order; "" when none were.
    var summary: String {
        var parts: [String] = []
        for slot in calls.indices where calls[slot] > 0 {
            let name = slot < HypercallTable.entries.count ? "\(HypercallTable.entries[slot].name)" : "unknown"
            let failed = failures[slot] > 0 ? " (\(failures[slot]) failed)" : ""
            parts.append("\(name) \(calls[slot])\(failed)")
        }
        return parts.joined(separator: ", ")
    }
}
