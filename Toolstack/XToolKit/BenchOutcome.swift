import Foundation

/// What `xtool bench` found: the output of `BenchRunner.run`.
public struct BenchOutcome: Sendable {
    public var unit: String
    /// What the unit is on the machine used (`BenchUnit.explanation`).
    public var unitExplanation: String
    /// Ours first, then Xen's if asked for.
    public var series: [BenchSeries]
    /// Our rows that could not be read, our boots that failed: each one
    /// line, printed after the table; any of them fails the bench.
    public var problems: [String]
    /// The same for the comparison (Xen), and boots skipped for a missing
    /// file: printed, but the bench still succeeds (their cells show "-").
    public var notes: [String]
    /// The repeat check's verdict, one line or one per differing row.
    public var repeatCheck: [String]
    /// False when the runs were required to agree and did not.
    public var repeatable: Bool
    /// The CSV, the SVG and every transcript.
    public var files: [URL]

    public var table: BenchReportTable { BenchReportTable(unit: unit, series: series) }

    /// Whether the bench measured something of ours and it held together.
    public var succeeded: Bool {
        repeatable && problems.isEmpty && !(series.first?.rows.isEmpty ?? true)
    }
}
