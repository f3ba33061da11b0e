/// How many exits of each kind one domain's vCPUs took, counted in
/// VMExitHandler.handle for both backends alike. Sized once when the
/// domain is made, so counting never allocates.
struct ExitCounters {
    private(set) var counts = [UInt64](repeating: 0, count: VMExitKind.allCases.count)

    mutating func count(_ kind: VMExitKind) {
        counts[kind.rawValue] += 1
    }

    /// "hypercall 1234, cpuid 5, halt 2": the kinds that happened, most
    /// frequent first; "" when none did.
    var summary: String {
        let happened = VMExitKind.allCases.filter { counts[$0.rawValue] > 0 }
        let ordered = happened.sorted { counts[$0.rawValue] > counts[$1.rawValue] || (counts[$0.rawValue] == counts[$1.rawValue] && $0.rawValue < $1.rawValue) }
        return ordered.map { "\($0.name) \(counts[$0.rawValue])" }.joined(separator: ", ")
    }
}
