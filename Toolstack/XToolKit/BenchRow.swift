/// One row of a bench guest's output: `bench: row KEY v1 ... vN | label`.
///
/// Each value is one batch: TSC ticks per operation, averaged over the
/// batch's iterations, with the empty loop's cost already taken off by the
/// guest. The values stay in batch order, so two runs can be compared
/// batch by batch (`BenchRepeatCheck`).
public struct BenchRow: Sendable, Equatable {
    /// Lowercase words joined by dashes ("null-hypercall"): the row's name in
    /// the table, the CSV and the chart, and what rows of two runs or two
    /// hypervisors are matched by.
    public var key: String
    public var values: [UInt64]
    /// What the row measures, for people.
    public var label: String

    public init(key: String, values: [UInt64], label: String) {
        self.key = key
        self.values = values
        self.label = label
    }

    /// Whether `key` is lowercase letters and digits in dash-separated words.
    public static func isValidKey(_ key: String) -> Bool {
        let words = key.split(separator: "-", omittingEmptySubsequences: false)
        return !key.isEmpty && words.allSatisfy { word in
            !word.isEmpty && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
    }
}
