import Foundation

/// Builds the hypervisor and guest images (`xtool build`), skipping every step
/// that is already up to date.
public struct ImageBuilder: Sendable {
    public let root: URL
    public let toolchain: Toolchain
    public let reporter: Reporter

    public init(root: URL, toolchain: Toolchain, reporter: Reporter = .standardOutput) {
        self.root = root
        self.toolchain = toolchain
        self.reporter = reporter
    }

    /// Build everything under `root` with the toolchain found in PATH.
    public static func build(root: URL, reporter: Reporter = .standardOutput) throws -> BuildSummary {
        try ImageBuilder(root: root, toolchain: try Toolchain.locate(), reporter: reporter).build()
    }

    public func build() throws -> BuildSummary {
        try ProjectLock.shared.withLock(root: root, reporter: reporter) {
            try buildUnlocked()
        }
    }

    private func buildUnlocked() throws -> BuildSummary {
        let planner = BuildPlanner(root: root, toolchain: toolchain)
        let hypervisor = try planner.hypervisor()
        let guests = try planner.guests()
        var stepsRun = 0
        for recipe in [hypervisor] + guests {
            stepsRun += try make(recipe, planner: planner)
        }
        return BuildSummary(hypervisor: hypervisor.output, guests: guests.map(\.output), stepsRun: stepsRun)
    }

    /// Runs the recipe's stale steps and reports the image; returns how many ran.
    private func make(_ recipe: ImageRecipe, planner: BuildPlanner) throws -> Int {
        var ran = 0
        for step in recipe.steps where !UpToDateCheck.isUpToDate(step) {
            try run(step)
            ran += 1
        }
        let size = Self.fileSize(recipe.output)
        if ran == 0 {
            reporter.line("\(recipe.name) is up to date (\(size) bytes)")
        } else {
            reporter.line("\(recipe.name): \(size) bytes")
        }
        return ran
    }

    private func run(_ step: BuildStep) throws {
        reporter.line("  \(step.summary)")
        try FileManager.default.createDirectory(at: step.output.deletingLastPathComponent(), withIntermediateDirectories: true)
        UpToDateCheck.forget(step)
        let status = try CommandRunner.run(step.tool, step.arguments, in: root)
        guard status == 0 else {
            throw XToolError.stepFailed(step: step.summary, exitCode: status)
        }
        try UpToDateCheck.record(step)
    }

    static func fileSize(_ file: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
