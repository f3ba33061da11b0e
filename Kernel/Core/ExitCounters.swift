/// How many exits of each kind one domain's vCPUs took, counted in
/// VMExitHandler.handle for both backends alike. The counts live in memory
/// allocated once when the domain is made: counting is one increment, with
/// no allocation, no copy-on-write check and no exclusivity check on the
/// exit path (a class with a `let` in Domain, not a struct in a `var`).
final class ExitCounters {
    private let counts: UnsafeMutablePointer<UInt64>

    init() {
        counts = UnsafeMutablePointer<UInt64>.allocate(capacity: VMExitKind.allCases.count)
        counts.initialize(repeating: 0, count: VMExitKind.allCases.count)
    }

    deinit { counts.deallocate() }

    @inline(__always)
    func count(_ kind: VMExitKind) {
        counts[kind.rawValue] &+= 1
    }

    func count(of kind: VMExitKind) -> UInt64 { counts[kind.rawValue] }

    /// "hypercall 1234, cpuid 5, halt 2": the kinds that happened, most
    /// frequent first; "" when none did.
    var summary: String {
        let happened = VMExitKind.allCases.filter { counts[$0.rawValue] > 0 }
        let ordered = happened.sorted { counts[$0.rawValue] > counts[$1.rawValue] || (counts[$0.rawValue] == counts[$1.rawValue] && $0.rawValue < $1.rawValue) }
        return ordered.map { "\($0.name) \(counts[$0.rawValue])" }.joined(separator: ", ")
    }
}
