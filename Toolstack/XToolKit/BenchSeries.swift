/// The rows of one machine or hypervisor: one column group of the table,
/// one colour in the chart.
public struct BenchSeries: Sendable, Equatable {
    /// e.g. "ours", "xen"; the table's column headers and the chart's legend.
    public var name: String
    public var rows: [BenchRow]

    public init(name: String, rows: [BenchRow]) {
        self.name = name
        self.rows = rows
    }

    public func row(_ key: String) -> BenchRow? {
        rows.first { $0.key == key }
    }

    /// The statistics of row `key`, nil if the series has no such row.
    public func statistics(_ key: String) -> BenchStatistics? {
        row(key).flatMap { BenchStatistics($0.values) }
    }

    /// One series from several runs: each row's values are its values in
    /// every run, run after run, in the order of the first run that had it.
    public static func pooling(name: String, runs: [[BenchRow]]) -> BenchSeries {
        var rows: [BenchRow] = []
        for row in runs.flatMap({ $0 }) {
            if let index = rows.firstIndex(where: { $0.key == row.key }) {
                rows[index].values += row.values
            } else {
                rows.append(row)
            }
        }
        return BenchSeries(name: name, rows: rows)
    }
}
