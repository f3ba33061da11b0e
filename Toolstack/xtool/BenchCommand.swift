import ArgumentParser
import Foundation
import XToolKit

/// `xtool bench`
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Build, boot the benchmark guests, print a table, write build/bench/bench.csv and bench.svg.",
        discussion: """
        Each figure is the median of the batches a bench guest prints for one operation, over all runs, \
        with their min and max. Units: instructions under --machine qemu --icount (exact, and two runs \
        must agree: the repeat check says which row differs if they do not); TSC ticks on Bochs, one per \
        emulated instruction (its clock: sync=none makes them repeat, and the check runs there too); \
        TSC ticks that follow the host's clock on QEMU without --icount; cycles on KVM.

        --against xen downloads Debian's Xen hypervisor (apt-get download, like xtool fetch linux) and \
        boots the same bench guest binary as its PVH dom0 on the same QEMU: the table gets its median \
        and the ratio to ours. Rows Xen does not print show "-".

        The transcripts are kept in build/bench/. Exits 0 when our rows were read, no boot of ours failed \
        and the runs agreed where they must, 1 otherwise, 5 when it could not build or start.
        """
    )

    @Option(help: "Where to measure: qemu, bochs or kvm.")
    var machine: Machine = .qemu

    @Flag(help: "QEMU only: -icount shift=0, so the TSC counts instructions.")
    var icount = false

    @Option(help: ArgumentHelp("Compare with another hypervisor on the same machine: xen.", valueName: "xen"))
    var against: Against?

    @Option(help: "How many times to boot each configuration (the repeat check compares them).")
    var runs: Int = 2

    @Option(help: "CPU model (as for xtool boot).")
    var cpu: String?

    enum Against: String, ExpressibleByArgument, CaseIterable {
        case xen
    }

    func validate() throws {
        if let problem = BenchRequest.problem(machine: machine, icount: icount, runs: runs, againstXen: against == .xen) {
            throw ValidationError(problem)
        }
    }

    func run() throws {
        var succeeded = false
        try ExitCodes.translatingErrors {
            let outcome = try BenchRunner.run(BenchRequest(
                machine: machine, icount: icount, runs: runs, againstXen: against == .xen, cpuModel: cpu
            ))
            let out = Reporter.standardOutput
            out.line("")
            out.line("unit: \(outcome.unitExplanation)")
            out.write(outcome.table.text)
            out.line("")
            for line in outcome.repeatCheck { out.line(line) }
            for problem in outcome.problems { out.line("problem: \(problem)") }
            for note in outcome.notes { out.line("note: \(note)") }
            for file in outcome.files.prefix(2) {
                out.line("wrote \(BenchRunner.folder)/\(file.lastPathComponent)")
            }
            out.line("transcripts in \(BenchRunner.folder)/")
            succeeded = outcome.succeeded
        }
        if !succeeded { throw ExitCode(1) }
    }
}
