import Foundation

/// The bench's result as cells: the same strings go to the terminal
/// (`text`) and to the CSV (`BenchCSV`), so the two never disagree.
///
/// One line per operation, in the order the first series printed them
/// (then any the others add). Columns: operation, unit, the first
/// series' median, min and max, then for each further series its median
/// and its median divided by the first's, and last what the row measures.
/// A row a series lacks shows "-" there.
public struct BenchReportTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]

    public static let missing = "-"

    public init(unit: String, series: [BenchSeries]) {
        let first = series.first
        let others = series.dropFirst()
        header = ["operation", "unit", "median", "min", "max"]
        for other in others {
            header += ["\(other.name) median", "\(other.name)/\(first?.name ?? "first")"]
        }
        header.append("what")
        rows = Self.keys(series).map { key in
            let ours = first?.statistics(key)
            var cells = [key, unit]
            cells += [ours?.medianText, ours.map { String($0.minimum) }, ours.map { String($0.maximum) }]
                .map { $0 ?? Self.missing }
            for other in others {
                let theirs = other.statistics(key)
                cells.append(theirs?.medianText ?? Self.missing)
                cells.append(Self.ratio(theirs?.median, over: ours?.median))
            }
            cells.append(series.lazy.compactMap { $0.row(key)?.label }.first ?? "")
            return cells
        }
    }

    /// Every key of every series, once, first-seen order.
    static func keys(_ series: [BenchSeries]) -> [String] {
        var seen: Set<String> = []
        var keys: [String] = []
        for row in series.flatMap(\.rows) where seen.insert(row.key).inserted {
            keys.append(row.key)
        }
        return keys
    }

    /// "12.34" (two decimals), or "-" when either side is missing or ours is 0.
    static func ratio(_ numerator: Double?, over denominator: Double?) -> String {
        guard let numerator, let denominator, denominator > 0 else { return missing }
        return String(format: "%.2f", numerator / denominator)
    }

    /// Aligned columns: text columns (the first and the last two words of
    /// the header: operation, unit, what) to the left, numbers to the right.
    public var text: String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        let leftAligned: Set<Int> = [0, 1, header.count - 1]
        return all.map { cells in
            cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                if column == header.count - 1 { return cell }          // no trailing spaces
                return leftAligned.contains(column) ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
