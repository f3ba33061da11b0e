import XCTest
@testable import XToolKit

final class BenchRepeatCheckTests: XCTestCase {
    let run1 = [BenchRow(key: "cpuid", values: [434, 434, 434], label: "CPUID"),
                BenchRow(key: "yield", values: [900, 901, 900], label: "yield")]

    func testIdenticalRunsPass() {
        XCTAssertEqual(BenchRepeatCheck.differences([run1, run1, run1]), [])
        XCTAssertEqual(BenchRepeatCheck.differences([run1]), [])
    }

    func testADifferentBatchIsNamedWithBothRuns() {
        var run2 = run1
        run2[1].values = [900, 902, 900]
        XCTAssertEqual(BenchRepeatCheck.differences([run1, run2]),
                       ["not repeatable: yield run1 900 901 900 run2 900 902 900"])
    }

    func testTheSameValuesInAnotherBatchOrderDiffer() {
        var run2 = run1
        run2[1].values = [900, 900, 901]
        XCTAssertEqual(BenchRepeatCheck.differences([run1, run2]).count, 1)
    }

    func testARowMissingFromEitherRun() {
        let run2 = [run1[0], BenchRow(key: "int80", values: [5], label: "int 0x80")]
        XCTAssertEqual(BenchRepeatCheck.differences([run1, run2]), [
            "not repeatable: yield run1 900 901 900 run2 (no row)",
            "not repeatable: int80 run1 (no row) run2 5",
        ])
    }

    func testTheVerdictLinesOfTheRunner() {
        var run2 = run1
        run2[0].values = [434, 434, 435]
        let failed = BenchRunner.repeatCheck([run1, run2], deterministic: true, unit: "instructions", series: "ours")
        XCTAssertFalse(failed.passed)
        XCTAssertEqual(failed.lines, ["repeat check (ours): not repeatable: cpuid run1 434 434 434 run2 434 434 435"])
        let passed = BenchRunner.repeatCheck([run1, run1], deterministic: true, unit: "instructions", series: "ours")
        XCTAssertTrue(passed.passed)
        XCTAssertEqual(passed.lines, ["repeat check (ours): 2 runs gave identical values for every batch of all 2 rows"])
        XCTAssertTrue(BenchRunner.repeatCheck([run1, run2], deterministic: false, unit: "cycles", series: "ours").passed,
                      "cycles are not required to repeat")
    }

    /// Rows of a boot that may vary (BenchBoot.variesBecause) are compared
    /// and reported, but do not fail the check; the others still do.
    func testRowsThatMayVaryAreReportedNotFailed() {
        var run2 = run1
        run2[0].values = [434, 434, 435]                  // cpuid differs
        let reported = BenchRunner.repeatCheck([run1, run2], deterministic: true, unit: "instructions", series: "ours",
                                               mayVary: ["cpuid"], reasons: ["Linux's timer"])
        XCTAssertTrue(reported.passed)
        XCTAssertEqual(reported.lines, [
            "repeat check (ours): 2 runs gave identical values for every batch of all 1 rows",
            "repeat check (ours, reported only): not repeatable: cpuid run1 434 434 434 run2 434 434 435",
            "  why they may vary: Linux's timer",
        ])
        let strict = BenchRunner.repeatCheck([run1, run2], deterministic: true, unit: "instructions", series: "ours",
                                             mayVary: [run1[1].key], reasons: ["Linux's timer"])
        XCTAssertFalse(strict.passed, "a row outside mayVary still fails")
    }
}
