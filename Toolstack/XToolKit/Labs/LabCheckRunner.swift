import Foundation

/// Runs a lab's checks in a project tree (a student copy, or the full tree)
/// and scores them: the tree is built once with its tests, then each check
/// runs as its own `swift test --skip-build --filter` process, so a stub
/// that kills its test process fails that check alone.
public struct LabCheckRunner {
    /// Runs `swift` with these arguments in the tree; returns the exit status and the output.
    public typealias Swift = (_ arguments: [String]) throws -> (status: Int32, output: String)

    public var scratchPath: String?
    var swift: Swift

    public init(scratchPath: String? = nil, swift: @escaping Swift) {
        self.scratchPath = scratchPath
        self.swift = swift
    }

    /// The real `swift` on PATH, run in `root`.
    public init(root: URL, scratchPath: String? = nil) {
        self.init(scratchPath: scratchPath) { arguments in
            let log = FileManager.default.temporaryDirectory
                .appendingPathComponent("xtool-lab-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).log")
            defer { try? FileManager.default.removeItem(at: log) }
            // A stub's crash needs no backtrace (its message says it all), and
            // the backtracer takes seconds per crash.
            var environment = ProcessInfo.processInfo.environment
            environment["SWIFT_BACKTRACE"] = "enable=no"
            let status = try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["swift"] + arguments,
                                               in: root, environment: environment, outputFile: log)
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return (status, output)
        }
    }

    public struct Score: Equatable, Sendable {
        public var lab: Int
        public var results: [(check: LabCheck, outcome: LabCheckOutcome)]
        public var passed: Int { results.filter { $0.outcome.isPassed }.count }
        public var total: Int { results.count }
        public var allPassed: Bool { passed == total }

        public static func == (a: Score, b: Score) -> Bool {
            a.lab == b.lab && a.results.map(\.check) == b.results.map(\.check)
                && a.results.map(\.outcome) == b.results.map(\.outcome)
        }
    }

    /// Builds, then runs every check of `lab`, reporting each as it ends.
    public func check(_ lab: Lab, reporter: Reporter) throws -> Score {
        reporter.line("lab \(lab.number): building the tree and its tests (swift build --build-tests)")
        guard try build(reporter: reporter) else {
            let reason = LabCheckOutcome.failed("the tree does not build")
            for check in lab.checks { reporter.line(Self.line(lab, check, reason)) }
            return finish(Score(lab: lab.number, results: lab.checks.map { ($0, reason) }), reporter)
        }
        return try run(lab, reporter: reporter)
    }

    /// `swift build --build-tests`; on failure the compiler's first errors are reported.
    public func build(reporter: Reporter) throws -> Bool {
        let build = try swift(["build", "--build-tests"] + scratchArguments)
        guard build.status == 0 else {
            let errors = build.output.split(separator: "\n").filter { $0.contains("error:") }.prefix(10)
            for line in errors { reporter.line(String(line)) }
            reporter.line("swift build exited with status \(build.status)")
            return false
        }
        return true
    }

    /// Runs the checks of `lab` in a tree already built. All of them run
    /// together first: if that one run executes exactly one test per check
    /// and all pass, every check passed. Otherwise each runs alone, so a
    /// crash (a stub's fatalError) fails only its own check.
    public func run(_ lab: Lab, reporter: Reporter) throws -> Score {
        if lab.checks.count > 1 {
            let together = try swift(["test", "--skip-build"] + scratchArguments + ["--filter", Self.pattern(lab.checks)])
            if LabCheckOutcome.from(status: together.status, output: together.output) == .passed(tests: lab.checks.count) {
                for check in lab.checks { reporter.line(Self.line(lab, check, .passed(tests: 1))) }
                return finish(Score(lab: lab.number, results: lab.checks.map { ($0, .passed(tests: 1)) }), reporter)
            }
        }
        var results: [(LabCheck, LabCheckOutcome)] = []
        for check in lab.checks {
            let run = try swift(["test", "--skip-build"] + scratchArguments + ["--filter", Self.pattern([check])])
            let outcome = LabCheckOutcome.from(status: run.status, output: run.output)
            reporter.line(Self.line(lab, check, outcome))
            results.append((check, outcome))
        }
        return finish(Score(lab: lab.number, results: results), reporter)
    }

    private func finish(_ score: Score, _ reporter: Reporter) -> Score {
        reporter.line("lab \(score.lab): \(score.passed)/\(score.total) checks passed")
        return score
    }

    var scratchArguments: [String] {
        scratchPath.map { ["--scratch-path", $0] } ?? []
    }

    /// Anchored, so a check names one test and not every test whose name starts like it.
    static func pattern(_ checks: [LabCheck]) -> String {
        checks.count == 1 ? "^" + checks[0].filter + "$" : "^(" + checks.map(\.filter).joined(separator: "|") + ")$"
    }

    static func line(_ lab: Lab, _ check: LabCheck, _ outcome: LabCheckOutcome) -> String {
        switch outcome {
        case .passed: "lab \(lab.number): \(check.name) ... pass (1/1)"
        case .failed(let reason): "lab \(lab.number): \(check.name) ... FAIL (0/1): \(reason)"
        }
    }
}
