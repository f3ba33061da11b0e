/// What one check's `swift test --filter` run says, read from its exit
/// status and output. A check passes only if the run succeeded and really
/// ran at least one test: a filter that matches nothing is a failure (a
/// renamed test must not pass a lab by vanishing).
public enum LabCheckOutcome: Equatable, Sendable {
    case passed(tests: Int)
    /// The reason, one line: the stub's fatalError message, the first
    /// failed assertion, or what else went wrong.
    case failed(String)

    public var isPassed: Bool {
        if case .passed = self { return true }
        return false
    }

    public static func from(status: Int32, output: String) -> LabCheckOutcome {
        let lines = output.split(separator: "\n").map(String.init)
        // A stub ran: the process died in fatalError, and its message says which lab.
        if let fatal = lines.first(where: { $0.contains("Fatal error:") }) {
            return .failed(String(fatal[fatal.range(of: "Fatal error:")!.upperBound...]).trimmingLeadingSpaces)
        }
        let executed = lines.compactMap(executedCount).last
        if status == 0, let (tests, failures) = executed {
            guard tests > 0 else { return .failed("no test matched the filter") }
            if failures == 0 { return .passed(tests: tests) }
        }
        if let assertion = lines.first(where: { $0.contains(": error: ") }) {
            return .failed(String(assertion[assertion.range(of: ": error: ")!.upperBound...]))
        }
        if let (tests, failures) = executed, failures > 0 {
            return .failed("\(failures) of \(tests) tests failed")
        }
        if status > 128 { return .failed("the test process was killed by signal \(status - 128)") }
        return .failed("swift test exited with status \(status)")
    }

    /// XCTest's "Executed 3 tests, with 1 failure (0 unexpected) in ..." line.
    static func executedCount(_ line: String) -> (Int, Int)? {
        guard let start = line.range(of: "Executed ") else { return nil }
        let words = line[start.upperBound...].split(separator: " ")
        guard words.count >= 4, let tests = Int(words[0]), words[2] == "with", let failures = Int(words[3]) else {
            return nil
        }
        return (tests, failures)
    }
}

private extension String {
    var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
