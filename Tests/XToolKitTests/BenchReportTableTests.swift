import XCTest
@testable import XToolKit

final class BenchReportTableTests: XCTestCase {
    let ours = BenchSeries(name: "ours", rows: [
        BenchRow(key: "cpuid", values: [434, 436, 435], label: "CPUID leaf 0x40000000 (exit)"),
        BenchRow(key: "boot-to-dom0", values: [2000000], label: "boot, to dom0"),
        BenchRow(key: "zero", values: [0, 0], label: "nothing"),
    ])
    let xen = BenchSeries(name: "xen-4.17", rows: [
        BenchRow(key: "cpuid", values: [5832, 5840], label: "CPUID leaf 0x40000000 (exit)"),
        BenchRow(key: "zero", values: [3], label: "nothing"),
        BenchRow(key: "xen-only", values: [7], label: "only Xen has it"),
    ])

    func testCellsOfOneSeries() {
        let table = BenchReportTable(unit: "instructions", series: [ours])
        XCTAssertEqual(table.header, ["operation", "unit", "median", "min", "max", "what"])
        XCTAssertEqual(table.rows[0], ["cpuid", "instructions", "435", "434", "436", "CPUID leaf 0x40000000 (exit)"])
        XCTAssertEqual(table.rows.count, 3)
    }

    func testAComparedSeriesAddsItsMedianAndTheRatio() {
        let table = BenchReportTable(unit: "instructions", series: [ours, xen])
        XCTAssertEqual(table.header, ["operation", "unit", "median", "min", "max", "xen-4.17 median", "xen-4.17/ours", "what"])
        XCTAssertEqual(table.rows.map { $0[0] }, ["cpuid", "boot-to-dom0", "zero", "xen-only"])
        XCTAssertEqual(table.rows[0][5...6], ["5836", "13.42"])
        XCTAssertEqual(table.rows[1][5...6], ["-", "-"], "Xen has no such row")
        XCTAssertEqual(table.rows[2][5...6], ["3", "-"], "no ratio over 0")
        XCTAssertEqual(table.rows[3][2...6], ["-", "-", "-", "7", "-"])
        XCTAssertEqual(table.rows[3][7], "only Xen has it")
    }

    func testTextAlignsColumns() {
        let table = BenchReportTable(unit: "instructions", series: [ours, xen])
        XCTAssertEqual(table.text.split(separator: "\n", omittingEmptySubsequences: false), [
            "operation     unit           median      min      max  xen-4.17 median  xen-4.17/ours  what",
            "cpuid         instructions      435      434      436             5836          13.42  CPUID leaf 0x40000000 (exit)",
            "boot-to-dom0  instructions  2000000  2000000  2000000                -              -  boot, to dom0",
            "zero          instructions        0        0        0                3              -  nothing",
            "xen-only      instructions        -        -        -                7              -  only Xen has it",
            "",
        ])
    }

    func testCSVHoldsTheTableCellsAndReadsBack() {
        let table = BenchReportTable(unit: "instructions", series: [ours, xen])
        let csv = BenchCSV.text(table)
        XCTAssertTrue(csv.hasPrefix("operation,unit,median,min,max,xen-4.17 median,xen-4.17/ours,what\r\n"))
        XCTAssertTrue(csv.contains("\r\nboot-to-dom0,instructions,2000000,2000000,2000000,-,-,\"boot, to dom0\"\r\n"))
        XCTAssertEqual(BenchCSV.parse(csv), [table.header] + table.rows)
    }

    func testCSVQuotes() {
        XCTAssertEqual(BenchCSV.field("plain"), "plain")
        XCTAssertEqual(BenchCSV.field("say \"hi\", twice"), "\"say \"\"hi\"\", twice\"")
        XCTAssertEqual(BenchCSV.parse("a,\"b \"\"c\"\"\nd\",e\r\nf,,\n"), [["a", "b \"c\"\nd", "e"], ["f", "", ""]])
    }
}
