import Foundation

/// What `xtool bench` is asked for: the input of `BenchRunner.run`.
public struct BenchRequest: Sendable {
    public var machine: Machine
    public var icount: Bool
    /// How many times each boot runs; the batches of all runs make the
    /// figures, and under a deterministic clock runs must agree.
    public var runs: Int
    /// Also boot the bench guest under Debian's Xen on the same QEMU.
    public var againstXen: Bool
    public var cpuModel: String?
    /// nil: found from the current directory upward.
    public var projectRoot: URL?
    /// Progress lines (builds, boots); the table is the caller's to print.
    public var reporter: Reporter

    public static let runsRange = 1...20

    public init(machine: Machine = .qemu, icount: Bool = false, runs: Int = 2, againstXen: Bool = false,
                cpuModel: String? = nil, projectRoot: URL? = nil, reporter: Reporter = .standardError) {
        self.machine = machine
        self.icount = icount
        self.runs = runs
        self.againstXen = againstXen
        self.cpuModel = cpuModel
        self.projectRoot = projectRoot
        self.reporter = reporter
    }

    /// Why this request cannot run, or nil if it can.
    public static func problem(machine: Machine, icount: Bool, runs: Int, againstXen: Bool) -> String? {
        if let problem = BootRequest.icountProblem(icount: icount, machine: machine) { return problem }
        if machine == .auto { return "--machine auto: say which machine to measure (qemu, bochs or kvm), the unit depends on it" }
        if !runsRange.contains(runs) { return "--runs \(runs): must be \(runsRange.lowerBound) to \(runsRange.upperBound)" }
        if againstXen, machine == .bochs { return "--against xen boots Xen with QEMU's -kernel: use --machine qemu (or kvm)" }
        return nil
    }
}
