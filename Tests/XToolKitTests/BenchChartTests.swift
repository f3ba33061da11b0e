import XCTest
@testable import XToolKit

final class BenchChartTests: XCTestCase {
    let series = [
        BenchSeries(name: "ours", rows: [
            BenchRow(key: "cpuid", values: [434, 440, 436], label: "CPUID <exit>"),
            BenchRow(key: "boot-to-dom0", values: [2_000_000], label: "boot"),
        ]),
        BenchSeries(name: "xen & co", rows: [BenchRow(key: "cpuid", values: [5832], label: "CPUID <exit>")]),
    ]

    func testOneBarPerSeriesAndRowWithALegendAndAnAxis() throws {
        let svg = BenchChart.svg(title: "bench", unit: "instructions", note: "what a tick is", series: series)
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
        XCTAssertEqual(svg.components(separatedBy: "<rect x=").count - 1, 2 + 3, "two swatches, three bars")
        XCTAssertTrue(svg.contains(">ours</text>"))
        XCTAssertTrue(svg.contains(">xen &amp; co</text>"), "text is escaped")
        XCTAssertTrue(svg.contains("<title>CPUID &lt;exit&gt;</title>"), "the label is the tooltip")
        XCTAssertTrue(svg.contains("instructions per operation"))
        XCTAssertTrue(svg.contains(">what a tick is</text>"))
        XCTAssertTrue(svg.contains(">- (xen &amp; co: no row)</text>"), "a missing bar says so")
        XCTAssertEqual(svg.components(separatedBy: "stroke=\"black\"/>").count - 1, 1 + 1, "the axis and one min-max line")
        XCTAssertFalse(svg.contains("nan") || svg.contains("inf"))
    }

    func testLongLabelsAreShortened() {
        XCTAssertEqual(BenchChart.shortened("short"), "short")
        let long = String(repeating: "x", count: 100)
        XCTAssertEqual(BenchChart.shortened(long).count, Int(BenchChart.labelWidth / 7))
        XCTAssertTrue(BenchChart.shortened(long).hasSuffix("…"))
    }

    func testTheLogAxisCoversEveryValue() {
        XCTAssertEqual(BenchChart.decades([434, 2_000_000]).0, 2)
        XCTAssertEqual(BenchChart.decades([434, 2_000_000]).1, 7)
        XCTAssertEqual(BenchChart.decades([100, 100]).0, 1, "a power of ten is not on the first line: its bar would have no length")
        XCTAssertEqual(BenchChart.decades([100, 100]).1, 2)
        XCTAssertEqual(BenchChart.decades([150, 150]).0, 2)
        XCTAssertEqual(BenchChart.decades([150, 150]).1, 3, "at least one decade wide")
        XCTAssertEqual(BenchChart.decadeLabel(-1), "0.1")
        XCTAssertEqual(BenchChart.decadeLabel(-2), "0.01")
        XCTAssertEqual(BenchChart.decades([]).1, 1)
        XCTAssertEqual(BenchChart.decadeLabel(3), "1000")
        XCTAssertEqual(BenchChart.decadeLabel(9), "1e9")
    }

    func testAChartOfZerosOrNothingIsStillAnImage() {
        let zero = [BenchSeries(name: "ours", rows: [BenchRow(key: "z", values: [0], label: "z")])]
        let svg = BenchChart.svg(title: "t", unit: "u", series: zero)
        XCTAssertTrue(svg.contains("width=\"0.0\""), "a zero bar has no length")
        XCTAssertTrue(BenchChart.svg(title: "t", unit: "u", series: []).hasSuffix("</svg>\n"))
    }
}
