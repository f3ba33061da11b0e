import Foundation

/// The bench as an SVG chart, written by hand (no library): one group of
/// horizontal bars per operation (named by its key; the label is its
/// tooltip, and in the table), one bar per series (machine or
/// hypervisor) in the legend's colours, the bar's length its median and a
/// thin line across it from min to max.
///
/// The axis is logarithmic, one grid line per power of ten: the rows span
/// from tens of instructions (a hypercall that returns at once) to millions
/// (the boot), and a hypervisor may take ten times as long as another for
/// the same path. On a linear axis everything but the longest bars would be
/// a sliver; on a log axis each bar is readable and the ratio between two
/// series is the same distance wherever it is.
public enum BenchChart {
    static let width = 960.0
    static let labelWidth = 230.0
    static let rightMargin = 90.0
    static let barHeight = 14.0
    static let groupGap = 10.0
    static let top = 70.0
    static let axisHeight = 50.0
    static let colours = ["#3366cc", "#dc7a12", "#2a9d4b", "#b03a8c", "#6b6b6b"]

    /// - Parameter note: a line under the axis, e.g. what the unit is on this machine.
    public static func svg(title: String, unit: String, note: String = "", series: [BenchSeries]) -> String {
        let keys = BenchReportTable.keys(series)
        let labels = Dictionary(keys.map { key in (key, series.lazy.compactMap { $0.row(key)?.label }.first ?? key) }, uniquingKeysWith: { a, _ in a })
        let statistics = series.map { one in keys.map { one.statistics($0) } }
        let positive = statistics.flatMap { $0.compactMap { $0 } }.flatMap { [Double($0.minimum), $0.median, Double($0.maximum)] }.filter { $0 > 0 }
        let (low, high) = decades(positive)
        let plotWidth = width - labelWidth - rightMargin
        func x(_ value: Double) -> Double {
            guard value > 0 else { return labelWidth }
            return labelWidth + plotWidth * (log10(value) - Double(low)) / Double(high - low)
        }
        let groupHeight = Double(max(series.count, 1)) * barHeight + groupGap
        let plotHeight = Double(keys.count) * groupHeight
        let height = top + plotHeight + axisHeight + (note.isEmpty ? 0 : 18)

        var out: [String] = []
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"sans-serif\" font-size=\"12\">")
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
        out.append("<text x=\"\(n(width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"16\">\(escape(title))</text>")
        // The legend, one swatch per series.
        var legendX = labelWidth
        for (index, one) in series.enumerated() {
            out.append("<rect x=\"\(n(legendX))\" y=\"36\" width=\"12\" height=\"12\" fill=\"\(colour(index))\"/>")
            out.append("<text x=\"\(n(legendX + 16))\" y=\"46\">\(escape(one.name))</text>")
            legendX += 24 + Double(one.name.count) * 7.5
        }
        // The grid: a line and a label per power of ten.
        for exponent in low...high {
            let gx = x(pow(10, Double(exponent)))
            out.append("<line x1=\"\(n(gx))\" y1=\"\(n(top - 4))\" x2=\"\(n(gx))\" y2=\"\(n(top + plotHeight))\" stroke=\"#dddddd\"/>")
            out.append("<text x=\"\(n(gx))\" y=\"\(n(top + plotHeight + 16))\" text-anchor=\"middle\">\(escape(decadeLabel(exponent)))</text>")
        }
        out.append("<line x1=\"\(n(labelWidth))\" y1=\"\(n(top + plotHeight))\" x2=\"\(n(labelWidth + plotWidth))\" y2=\"\(n(top + plotHeight))\" stroke=\"black\"/>")
        out.append("<text x=\"\(n(labelWidth + plotWidth / 2))\" y=\"\(n(top + plotHeight + 38))\" text-anchor=\"middle\">\(escape(unit)) per operation, median of the batches (log scale; line: min to max)</text>")
        if !note.isEmpty {
            out.append("<text x=\"\(n(labelWidth + plotWidth / 2))\" y=\"\(n(top + plotHeight + 56))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555555\">\(escape(note))</text>")
        }
        // The bars.
        for (row, key) in keys.enumerated() {
            let groupTop = top + Double(row) * groupHeight
            out.append("<text x=\"\(n(labelWidth - 8))\" y=\"\(n(groupTop + Double(series.count) * barHeight / 2 + 4))\" text-anchor=\"end\">\(escape(shortened(key)))<title>\(escape(labels[key] ?? key))</title></text>")
            for (index, one) in statistics.enumerated() {
                let barTop = groupTop + Double(index) * barHeight
                guard let figure = one[row] else {
                    out.append("<text x=\"\(n(labelWidth + 4))\" y=\"\(n(barTop + barHeight - 3))\" fill=\"#888888\">- (\(escape(series[index].name)): no row)</text>")
                    continue
                }
                let end = x(figure.median)
                out.append("<rect x=\"\(n(labelWidth))\" y=\"\(n(barTop + 1))\" width=\"\(n(end - labelWidth))\" height=\"\(n(barHeight - 2))\" fill=\"\(colour(index))\"><title>\(escape("\(series[index].name) \(key): median \(figure.medianText), min \(figure.minimum), max \(figure.maximum)"))</title></rect>")
                if figure.minimum > 0, figure.maximum > figure.minimum {
                    let middle = barTop + barHeight / 2
                    out.append("<line x1=\"\(n(x(Double(figure.minimum))))\" y1=\"\(n(middle))\" x2=\"\(n(x(Double(figure.maximum))))\" y2=\"\(n(middle))\" stroke=\"black\"/>")
                }
                out.append("<text x=\"\(n(max(end, x(Double(figure.maximum))) + 4))\" y=\"\(n(barTop + barHeight - 3))\">\(escape(figure.medianText))</text>")
            }
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// The powers of ten the axis runs between: from the one below the
    /// smallest value to the one at or above the largest, at least one apart.
    static func decades(_ values: [Double]) -> (Int, Int) {
        guard let smallest = values.min(), let largest = values.max() else { return (0, 1) }
        var low = Int(floor(log10(smallest)))
        // A value on the axis' first line would get a bar of no length.
        if pow(10, Double(low)) == smallest { low -= 1 }
        let high = max(Int(ceil(log10(largest))), low + 1)
        return (low, high)
    }

    static func decadeLabel(_ exponent: Int) -> String {
        switch exponent {
        case 0...6: String(Int(pow(10, Double(exponent))))
        case -2 ... -1: "0." + String(repeating: "0", count: -exponent - 1) + "1"
        default: "1e\(exponent)"
        }
    }

    /// Labels longer than the space left of the bars lose their end.
    static func shortened(_ label: String) -> String {
        let limit = Int(labelWidth / 7)
        return label.count <= limit ? label : String(label.prefix(limit - 1)) + "…"
    }

    static func colour(_ index: Int) -> String { colours[index % colours.count] }

    /// Coordinates with one decimal.
    static func n(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
