import ArgumentParser
import Foundation
import XToolKit

extension Machine: ExpressibleByArgument {}

/// `xtool boot`
struct BootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boot",
        abstract: "Build if needed, boot the hypervisor and stream its serial console.",
        discussion: """
        The default modules are the built guest images (dom0.elf first), without arguments. \
        A module argument string goes after the file: --module "build/guests/dom0.elf loglevel=2".

        auto picks kvm only where nested virtualization really works, otherwise qemu.

        \(XToolExitCode.helpText)
        """
    )

    @Option(help: "Where to boot.")
    var machine: Machine = .auto

    @Option(help: "Seconds before the machine is stopped (default: 30, bochs 180).")
    var timeout: Double?

    @Option(help: "The hypervisor's command line.")
    var cmdline: String = BootRequest.defaultCmdline

    @Option(name: .customLong("module"), help: "A boot module: \"FILE [ARGS]\". Repeat for more; replaces the default list.")
    var modules: [String] = []

    @Option(help: "CPU model (default: max on qemu, host on kvm, corei7_skylake_x on bochs).")
    var cpu: String?

    func run() throws {
        let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let request = BootRequest(
            machine: machine,
            cmdline: cmdline,
            modules: modules.isEmpty ? nil : modules.map { BootModule(parsing: $0, relativeTo: folder) },
            timeout: timeout,
            cpuModel: cpu
        )
        try ExitCodes.translatingErrors {
            let result = try BootRunner.run(request)
            Reporter.standardOutput.line(result.summaryLine)
            if result.exitCode != 0 {
                throw ExitCode(result.exitCode)
            }
        }
    }
}
