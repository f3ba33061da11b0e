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
        Boot modules, in order: dom0 (build/guests/dom0.elf, or --dom0); with --domain, \
        build/manifest.txt and each distinct kernel; then every --module. The hypervisor \
        builds dom0 from the first module and hands it the others as its PVH modules. \
        Arguments go after the file: --dom0 "build/guests/hostile.elf crash=none".

        A domain config (--domain) has `key = value` lines, # comments, "strings" and integers: \
        name (required), kernel (required, relative to the file's folder), memory (MiB, 4..1024, \
        default 16), vcpus (1), cmdline, on_poweroff, on_reboot, on_crash (destroy|preserve), stop_after ("others": dom0 \
        destroys it once every other domain has ended), disk = [ "FILE,raw,xvda,rw" ] (xl's disk specs, also format=raw, vdev=xvdb, access=ro, target=FILE; each file belongs to one domain; the disks of all domains take the emulated IDE controller's positions in order, 0-3 on QEMU, 1-3 on Bochs). Errors are shown as FILE:LINE: message.

        auto picks kvm only where nested virtualization really works, otherwise qemu.

        In a terminal, what you type goes to the machine's serial port while it runs; Ctrl-C stops it.

        \(XToolExitCode.helpText)
        """
    )

    @Option(help: "Where to boot.")
    var machine: Machine = .auto

    @Option(help: "Seconds before the machine is stopped (default: 30, bochs 180).")
    var timeout: Double?

    @Option(help: "The hypervisor's command line.")
    var cmdline: String = BootRequest.defaultCmdline

    @Option(help: ArgumentHelp("Dom0's image and arguments, any PVH kernel (default: build/guests/dom0.elf).", valueName: "FILE [ARGS]"))
    var dom0: String?

    @Option(name: .customLong("module"), help: ArgumentHelp("A further boot module after dom0. Repeat for more.", valueName: "FILE [ARGS]"))
    var modules: [String] = []

    @Option(name: .customLong("domain"), help: ArgumentHelp("A domain config for dom0 to build. Repeat for more.", valueName: "FILE"))
    var domains: [String] = []

    @Flag(help: "QEMU only: -icount shift=0, so the guest TSC counts instructions.")
    var icount = false

    @Option(help: ArgumentHelp("The machine's RAM (64 to 4096; default 256).", valueName: "MiB"))
    var memory: Int = BootRequest.defaultMemoryMB

    @Option(help: "CPU model (default: max on qemu, host on kvm, corei7_skylake_x on bochs; ryzen gives Bochs SVM).")
    var cpu: String?

    func validate() throws {
        if let problem = BootRequest.icountProblem(icount: icount, machine: machine) {
            throw ValidationError(problem)
        }
        if let problem = BootRequest.memoryProblem(memory) {
            throw ValidationError(problem)
        }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        try ExitCodes.translatingErrors {
            let request = BootRequest(
                machine: machine,
                cmdline: cmdline,
                dom0: dom0.map { BootModule(parsing: $0, relativeTo: folder) },
                extraModules: modules.map { BootModule(parsing: $0, relativeTo: folder) },
                domains: try DomainConfigLoader.load(domains, relativeTo: folder),
                icount: icount,
                timeout: timeout,
                cpuModel: cpu,
                memoryMB: memory,
                forwardsKeyboard: TerminalInput.canForward()
            )
            let result = try BootRunner.run(request)
            Reporter.standardOutput.line(result.summaryLine)
            for line in result.domainTableLines {
                Reporter.standardOutput.line(line)
            }
            if result.exitCode != 0 {
                throw ExitCode(result.exitCode)
            }
        }
    }
}
