import XCTest
@testable import XToolKit

final class BenchStatisticsTests: XCTestCase {
    func testOddCountTakesTheMiddleValue() throws {
        let statistics = try XCTUnwrap(BenchStatistics([9, 3, 7, 5, 100]))
        XCTAssertEqual(statistics.median, 7)
        XCTAssertEqual(statistics.minimum, 3)
        XCTAssertEqual(statistics.maximum, 100)
        XCTAssertEqual(statistics.medianText, "7")
    }

    func testEvenCountTakesHalfwayBetweenTheTwoMiddleOnes() throws {
        XCTAssertEqual(try XCTUnwrap(BenchStatistics([4, 1, 3, 2])).median, 2.5)
        XCTAssertEqual(try XCTUnwrap(BenchStatistics([4, 1, 3, 2])).medianText, "2.5")
        XCTAssertEqual(try XCTUnwrap(BenchStatistics([10, 20])).medianText, "15")
        let top = try XCTUnwrap(BenchStatistics([UInt64.max, UInt64.max - 2]))
        XCTAssertEqual(top.median, Double(UInt64.max - 1), "no overflow adding the two")
    }

    func testOneValueAndNone() throws {
        let one = try XCTUnwrap(BenchStatistics([42]))
        XCTAssertEqual([one.medianText, String(one.minimum), String(one.maximum)], ["42", "42", "42"])
        XCTAssertNil(BenchStatistics([]))
    }

    func testPoolingRunsKeepsBatchOrderRunAfterRun() {
        let series = BenchSeries.pooling(name: "ours", runs: [
            [BenchRow(key: "a", values: [1, 2], label: "A"), BenchRow(key: "b", values: [5], label: "B")],
            [BenchRow(key: "c", values: [7], label: "C"), BenchRow(key: "a", values: [3, 4], label: "A")],
        ])
        XCTAssertEqual(series.rows.map(\.key), ["a", "b", "c"])
        XCTAssertEqual(series.row("a")?.values, [1, 2, 3, 4])
    }
}
