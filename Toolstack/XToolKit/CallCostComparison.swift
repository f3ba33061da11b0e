/// Lab 8's figure: how many times a hypercall costs what a system call
/// costs, from the repeated measurements of each (instruction counts under
/// `xtool bench --machine qemu --icount`, one value per batch).
///
/// Medians, not means: one batch disturbed by a timer interrupt moves a
/// mean a lot and a median little.
public struct CallCostComparison: Equatable, Sendable {
    public var hypercallMedian: Double
    public var systemCallMedian: Double

    /// nil if either side has no values.
    public init?(hypercall: [UInt64], systemCall: [UInt64]) {
        guard let hypercallMedian = Self.median(hypercall), let systemCallMedian = Self.median(systemCall) else {
            return nil
        }
        self.hypercallMedian = hypercallMedian
        self.systemCallMedian = systemCallMedian
    }

    /// The middle value; with an even count, the mean of the two middle ones.
    public static func median(_ values: [UInt64]) -> Double? {
        // LAB 8 BEGIN: the median of the batches
        // LAB 8 STUB: fatalError("lab 8: CallCostComparison.median is yours to write (Docs/labs/lab8-research.md)")
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return Double(sorted[middle]) }
        // Each halved as a Double: two values near UInt64.max must not overflow a sum.
        return Double(sorted[middle - 1]) / 2 + Double(sorted[middle]) / 2
        // LAB 8 END
    }

    /// Hypercall median over system-call median; nil when the system call
    /// measured nothing (a zero median cannot be divided by).
    public var ratio: Double? {
        // LAB 8 BEGIN: the ratio of the medians
        // LAB 8 STUB: fatalError("lab 8: CallCostComparison.ratio is yours to write (Docs/labs/lab8-research.md)")
        guard systemCallMedian > 0 else { return nil }
        return hypercallMedian / systemCallMedian
        // LAB 8 END
    }
}
