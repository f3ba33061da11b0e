import Foundation

/// `xtool bench`: build, boot each `BenchBoot` `runs` times on the machine
/// asked for (and the Xen-capable ones under Debian's Xen too, with
/// `againstXen`), read the rows out of the transcripts, check that
/// deterministic runs agree, and write build/bench/bench.csv and
/// build/bench/bench.svg. Each transcript is kept in build/bench/ as well.
public enum BenchRunner {
    public static let folder = "build/bench"
    public static let oursName = "ours"
    /// Xen's boot takes longer than ours (40 s of the bench guest's 10 s
    /// under --icount here: it waits for the CMOS clock, scrubs memory).
    static let xenTimeoutFactor = 3.0

    public static func run(_ request: BenchRequest) throws -> BenchOutcome {
        if let problem = BenchRequest.problem(machine: request.machine, icount: request.icount, runs: request.runs, againstXen: request.againstXen) {
            throw XToolError.invalidRequest(problem)
        }
        let root = try request.projectRoot ?? ProjectRoot.findFromCurrentDirectory()
        let reporter = request.reporter
        let output = root.appendingPathComponent(folder, isDirectory: true)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        _ = try ImageBuilder.build(root: root, reporter: reporter)

        let unit = BenchUnit.label(machine: request.machine, icount: request.icount)
        let explanation = BenchUnit.explanation(machine: request.machine, icount: request.icount)
        let deterministic = BenchUnit.isDeterministic(machine: request.machine, icount: request.icount)
        var problems: [String] = []
        var notes: [String] = []
        var files: [URL] = []

        var boots: [BenchBoot] = []
        for boot in BenchBoot.all {
            if let need = boot.missingNeed(root: root) {
                notes.append("\(oursName) \(boot.name): skipped: \(need.file) is missing (\(need.howToGet))")
            } else {
                boots.append(boot)
            }
        }

        // Ours.
        var ourRuns: [[BenchRow]] = []
        var varyingKeys: Set<String> = []        // rows of boots that may vary (BenchBoot.variesBecause)
        for run in 1...request.runs {
            var transcripts: [(boot: String, transcript: BenchTranscript)] = []
            for boot in boots {
                reporter.line("bench: \(boot.name) on \(request.machine.rawValue), run \(run) of \(request.runs)")
                let bootRequest = try boot.request(machine: request.machine, icount: request.icount, cpuModel: request.cpuModel,
                                                   root: root, reporter: run == 1 && boot == boots.first ? reporter : .silent)
                let result = try BootRunner.run(bootRequest)
                let file = output.appendingPathComponent("\(oursName)-\(boot.name)-run\(run).log")
                try (result.transcript + "\n").write(to: file, atomically: true, encoding: .utf8)
                files.append(file)
                var parsed = BenchTranscript.parse(result.transcript)
                parsed.rows = boot.countedRows(parsed.rows)
                if boot.variesBecause != nil { varyingKeys.formUnion(parsed.rows.map(\.key)) }
                let place = "\(oursName) \(boot.name) run \(run)"
                if result.status != .success {
                    problems.append("\(place): the boot ended with \(result.status.rawValue) (exit \(result.exitCode)); see \(folder)/\(file.lastPathComponent)")
                }
                problems += parsed.problems.map { "\(place): \($0)" }
                if parsed.rows.isEmpty {
                    problems.append("\(place): no bench rows\(boot.noRowsHint.map { ": \($0)" } ?? "")")
                }
                if run == 1 {
                    notes += parsed.skips.map { "\(place): skipped \($0.key): \($0.reason)" }
                    notes += parsed.notes.map { "\(place): bench: \($0)" }
                }
                reporter.line("bench: \(boot.name) run \(run): \(parsed.rows.count) rows, \(result.status.rawValue) in \(String(format: "%.1f", result.seconds)) s")
                transcripts.append((boot.name, parsed))
            }
            let combined = combine(transcripts, series: oursName, run: run)
            problems += combined.problems
            ourRuns.append(combined.rows)
        }
        var series = [BenchSeries.pooling(name: oursName, runs: ourRuns)]
        if series[0].rows.isEmpty {
            problems.append("\(oursName): no `bench: row` line in any transcript (does the bench guest print the row format?)")
        }
        let check = repeatCheck(ourRuns, deterministic: deterministic, unit: unit, series: oursName,
                                mayVary: varyingKeys, reasons: boots.compactMap(\.variesBecause))
        var repeatLines = check.lines
        let repeatable = check.passed

        // Xen, on the same machine, the same guest binaries.
        if request.againstXen {
            let xen = try XenHypervisor.fetch(root: root, reporter: reporter)
            let name = xenSeriesName(xen)
            var xenRuns: [[BenchRow]] = []
            for run in 1...request.runs {
                var transcripts: [(boot: String, transcript: BenchTranscript)] = []
                for boot in boots where boot.runsUnderXen {
                    guard let dom0 = boot.dom0 else { continue }
                    reporter.line("bench: \(boot.name) under \(name) on \(request.machine.rawValue), run \(run) of \(request.runs)")
                    let file = output.appendingPathComponent("\(name)-\(boot.name)-run\(run).log")
                    let xenBoot = XenBoot(
                        root: root, xen: xen, dom0: BootModule(parsing: dom0, relativeTo: root), icount: request.icount,
                        useKVM: request.machine == .kvm, memoryMB: max(boot.memoryMB, 256), timeout: boot.timeout * Self.xenTimeoutFactor,
                        transcriptFile: file, reporter: reporter
                    )
                    let result = try xenBoot.run()
                    files.append(file)
                    let parsed = BenchTranscript.parse(result.transcript)
                    let place = "\(name) \(boot.name) run \(run)"
                    if result.timedOut {
                        notes.append("\(place): stopped after \(Int(xenBoot.timeout)) s without `bench: end`; see \(folder)/\(file.lastPathComponent)")
                    }
                    notes += parsed.problems.map { "\(place): \($0)" }
                    if run == 1 { notes += parsed.skips.map { "\(place): skipped \($0.key): \($0.reason)" } }
                    reporter.line("bench: under \(name) run \(run): \(parsed.rows.count) rows in \(String(format: "%.1f", result.seconds)) s")
                    transcripts.append((boot.name, parsed))
                }
                let combined = combine(transcripts, series: name, run: run)
                notes += combined.problems
                xenRuns.append(combined.rows)
            }
            series.append(BenchSeries.pooling(name: name, runs: xenRuns))
            // Xen's runs are checked too, but only reported: its boot waits
            // for the next CMOS second, so where its timer ticks fall differs.
            repeatLines += repeatCheck(xenRuns, deterministic: deterministic, unit: unit, series: name).lines
        }

        let table = BenchReportTable(unit: unit, series: series)
        let csv = output.appendingPathComponent("bench.csv")
        try BenchCSV.text(table).write(to: csv, atomically: true, encoding: .utf8)
        let svg = output.appendingPathComponent("bench.svg")
        let title = "xtool bench on \(request.machine.rawValue)\(request.icount ? " --icount" : "")"
        try BenchChart.svg(title: title, unit: unit, note: explanation, series: series).write(to: svg, atomically: true, encoding: .utf8)
        return BenchOutcome(unit: unit, unitExplanation: explanation, series: series, problems: problems, notes: notes,
                            repeatCheck: repeatLines, repeatable: repeatable, files: [csv, svg] + files)
    }

    /// "xen-4.17" for build/third-party/xen-4.17-amd64.
    static func xenSeriesName(_ image: URL) -> String {
        let name = image.lastPathComponent
        return name.hasSuffix("-amd64") ? String(name.dropLast("-amd64".count)) : name
    }

    /// The rows of one run's boots as one list. A key two boots both print
    /// is a problem: the second is left out.
    static func combine(_ transcripts: [(boot: String, transcript: BenchTranscript)], series: String, run: Int)
        -> (rows: [BenchRow], problems: [String]) {
        var rows: [BenchRow] = []
        var problems: [String] = []
        for (boot, transcript) in transcripts {
            for row in transcript.rows {
                if rows.contains(where: { $0.key == row.key }) {
                    problems.append("\(series) run \(run): \(boot) prints \(row.key) again (an earlier boot had it; left out)")
                } else {
                    rows.append(row)
                }
            }
        }
        return (rows, problems)
    }

    /// The repeat check's lines, and whether it passed (it passes when it
    /// does not apply).
    /// Rows whose keys are in `mayVary` (from boots with a `variesBecause`)
    /// are compared too, but their differences are only reported, with
    /// `reasons`, and do not fail the check.
    static func repeatCheck(_ runs: [[BenchRow]], deterministic: Bool, unit: String, series: String,
                            mayVary: Set<String>, reasons: [String]) -> (lines: [String], passed: Bool) {
        let strict = repeatCheck(runs.map { $0.filter { !mayVary.contains($0.key) } }, deterministic: deterministic,
                                 unit: unit, series: series)
        guard deterministic, runs.count >= 2, !mayVary.isEmpty else { return strict }
        let varying = BenchRepeatCheck.differences(runs.map { $0.filter { mayVary.contains($0.key) } })
        let reported = (varying.isEmpty ? ["the rows that may vary repeated this time"] : varying)
            .map { "repeat check (\(series), reported only): \($0)" }
        return (strict.lines + reported + Set(reasons).sorted().map { "  why they may vary: \($0)" }, strict.passed)
    }

    static func repeatCheck(_ runs: [[BenchRow]], deterministic: Bool, unit: String, series: String) -> (lines: [String], passed: Bool) {
        guard deterministic else {
            return (["repeat check (\(series)): not applicable: \(unit) vary from run to run"], true)
        }
        guard runs.count >= 2 else {
            return (["repeat check (\(series)): skipped: one run (--runs 2 or more compares them)"], true)
        }
        let differences = BenchRepeatCheck.differences(runs)
        guard differences.isEmpty else {
            return (differences.map { "repeat check (\(series)): \($0)" }, false)
        }
        let count = runs.first?.count ?? 0
        return (["repeat check (\(series)): \(runs.count) runs gave identical values for every batch of all \(count) rows"], true)
    }
}
