import XCTest
@testable import XToolKit

/// Scoring a check from `swift test` output, and the runner's sequence.
final class LabCheckTests: XCTestCase {
    func testAPassingRunPasses() {
        let output = "Test Suite 'Selected tests' passed\n\t Executed 1 test, with 0 failures (0 unexpected) in 0.002 (0.002) seconds\n"
        XCTAssertEqual(LabCheckOutcome.from(status: 0, output: output), .passed(tests: 1))
    }

    func testAStubsFatalErrorIsTheReason() {
        let output = """
        Test Case 'CPUIDPolicyTests.testOtherLeavesPassThrough' started
        KernelCore/CPUIDPolicy.swift:52: Fatal error: lab 3: filter the host's CPUID leaves (see the text)
        error: Exited with unexpected signal code 4
        """
        XCTAssertEqual(LabCheckOutcome.from(status: 1, output: output),
                       .failed("lab 3: filter the host's CPUID leaves (see the text)"))
    }

    func testAFailedAssertionIsTheReason() {
        let output = """
        /w/Tests/KernelCoreTests/A.swift:12: error: ATests.testB : XCTAssertEqual failed: ("1") is not equal to ("2")
        \t Executed 1 test, with 1 failure (0 unexpected) in 0.001 (0.001) seconds
        """
        XCTAssertEqual(LabCheckOutcome.from(status: 1, output: output),
                       .failed("ATests.testB : XCTAssertEqual failed: (\"1\") is not equal to (\"2\")"))
    }

    func testAFilterThatMatchesNothingFails() {
        let output = "\t Executed 0 tests, with 0 failures (0 unexpected) in 0.0 (0.0) seconds\n"
        XCTAssertEqual(LabCheckOutcome.from(status: 0, output: output), .failed("no test matched the filter"))
    }

    func testNoSummaryIsAFailureWithTheStatus() {
        XCTAssertEqual(LabCheckOutcome.from(status: 2, output: "something odd"), .failed("swift test exited with status 2"))
        XCTAssertEqual(LabCheckOutcome.from(status: 137, output: ""), .failed("the test process was killed by signal 9"))
    }

    func lab() -> Lab {
        Lab(number: 9, title: "t", textFile: "t.md", checks: [LabCheck("KernelCoreTests.ATests/testOne"), LabCheck("KernelCoreTests.ATests/testTwo")])
    }

    func testTheRunnerBuildsOnceThenRunsEachCheckAlone() throws {
        var calls: [[String]] = []
        let runner = LabCheckRunner(scratchPath: "/s") { arguments in
            calls.append(arguments)
            if arguments.last == "^KernelCoreTests.ATests/testTwo$" { return (1, "X.swift:3: Fatal error: lab 9: two") }
            return (0, "Executed 1 test, with 0 failures (0 unexpected) in 0.1 (0.1) seconds")
        }
        let reported = ReportedLines()
        let score = try runner.check(lab(), reporter: Reporter { reported.append($0) })
        let lines = reported.lines
        XCTAssertEqual(calls, [["build", "--build-tests", "--scratch-path", "/s"],
                               ["test", "--skip-build", "--scratch-path", "/s", "--filter",
                                "^(KernelCoreTests.ATests/testOne|KernelCoreTests.ATests/testTwo)$"],
                               ["test", "--skip-build", "--scratch-path", "/s", "--filter", "^KernelCoreTests.ATests/testOne$"],
                               ["test", "--skip-build", "--scratch-path", "/s", "--filter", "^KernelCoreTests.ATests/testTwo$"]])
        XCTAssertEqual(score.passed, 1)
        XCTAssertEqual(score.total, 2)
        XCTAssertFalse(score.allPassed)
        XCTAssertEqual(Array(lines.dropFirst()), ["lab 9: ATests/testOne ... pass (1/1)",
                                                  "lab 9: ATests/testTwo ... FAIL (0/1): lab 9: two",
                                                  "lab 9: 1/2 checks passed"])
    }

    func testChecksThatAllPassTogetherNeedOneRun() throws {
        var calls: [[String]] = []
        let runner = LabCheckRunner { arguments in
            calls.append(arguments)
            return (0, "Executed 2 tests, with 0 failures (0 unexpected) in 0.1 (0.1) seconds")
        }
        let score = try runner.check(lab(), reporter: .silent)
        XCTAssertEqual(calls.count, 2)
        XCTAssertTrue(score.allPassed)
    }

    /// One test fewer than checks together means a check matched nothing:
    /// each then runs alone and that one fails.
    func testATogetherRunWithTooFewTestsFallsBackToEachAlone() throws {
        var calls: [[String]] = []
        let runner = LabCheckRunner { arguments in
            calls.append(arguments)
            if arguments.last == "^KernelCoreTests.ATests/testTwo$" {
                return (0, "Executed 0 tests, with 0 failures (0 unexpected) in 0.0 (0.0) seconds")
            }
            return (0, "Executed 1 test, with 0 failures (0 unexpected) in 0.1 (0.1) seconds")
        }
        let score = try runner.check(lab(), reporter: .silent)
        XCTAssertEqual(calls.count, 4)
        XCTAssertEqual(score.results.map(\.outcome), [.passed(tests: 1), .failed("no test matched the filter")])
    }

    func testATreeThatDoesNotBuildFailsEveryCheck() throws {
        var calls = 0
        let runner = LabCheckRunner { _ in
            calls += 1
            return (1, "/w/Kernel/Core/A.swift:3:5: error: cannot find 'x' in scope\n")
        }
        let reported = ReportedLines()
        let score = try runner.check(lab(), reporter: Reporter { reported.append($0) })
        let lines = reported.lines
        XCTAssertEqual(calls, 1)
        XCTAssertEqual(score.passed, 0)
        XCTAssertTrue(lines.contains("/w/Kernel/Core/A.swift:3:5: error: cannot find 'x' in scope"))
        XCTAssertEqual(lines.last, "lab 9: 0/2 checks passed")
    }
}

/// Lines a Reporter wrote (its closure must be Sendable).
private final class ReportedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var lines: [String] { lock.withLock { stored } }
    func append(_ line: String) { lock.withLock { stored.append(line.hasSuffix("\n") ? String(line.dropLast()) : line) } }
}
