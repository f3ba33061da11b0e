import XCTest
@testable import XToolKit

/// Lab 8's checks: the median and the ratio a student computes from bench rows.
final class CallCostComparisonTests: XCTestCase {
    func testMedianOfAnOddCount() {
        XCTAssertEqual(CallCostComparison.median([530, 514, 9_000, 514, 516]), 516)
    }

    func testMedianOfAnEvenCount() {
        XCTAssertEqual(CallCostComparison.median([10, 40, 20, 30]), 25)
        XCTAssertEqual(CallCostComparison.median([3, 4]), 3.5)
        XCTAssertEqual(CallCostComparison.median([UInt64.max, UInt64.max]), Double(UInt64.max))
    }

    func testMedianOfNothingIsNil() {
        XCTAssertNil(CallCostComparison.median([]))
        XCTAssertNil(CallCostComparison(hypercall: [], systemCall: [100]))
        XCTAssertNil(CallCostComparison(hypercall: [100], systemCall: []))
    }

    func testRatioOfMedians() throws {
        let comparison = try XCTUnwrap(CallCostComparison(hypercall: [514, 9_000, 516], systemCall: [100, 102, 101, 99]))
        XCTAssertEqual(comparison.hypercallMedian, 516)
        XCTAssertEqual(comparison.systemCallMedian, 100.5)
        XCTAssertEqual(try XCTUnwrap(comparison.ratio), 516 / 100.5, accuracy: 1e-12)
        XCTAssertNil(CallCostComparison(hypercall: [5], systemCall: [0, 0, 7])?.ratio)
    }
}
