import Foundation

/// Boots under QEMU (TCG or KVM). The console and QEMU's own messages are kept
/// in build/qemu/ for a look after the run.
struct QEMUBoot {
    var root: URL
    var kernel: URL
    var modules: [BootModule]
    var request: BootRequest
    var useKVM: Bool
    var disks: ATADiskLayout
    var timeout: Double

    func run() throws -> BootResult {
        let folder = root.appendingPathComponent("build/qemu", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard let qemu = ExecutableLookup.find("qemu-system-x86_64") else {
            throw XToolError.hostToolMissing(name: "qemu-system-x86_64", packages: ["qemu-system-x86"], reason: "not in PATH")
        }
        let command = QEMUCommand(
            executable: qemu, kernel: kernel.path, cmdline: request.cmdline,
            modules: modules, useKVM: useKVM, cpuModel: request.cpuModel, icount: request.icount,
            memoryMB: request.memoryMB, disks: disks.qemuArguments
        )
        let consoleFile = folder.appendingPathComponent("console.log")
        let errorFile = folder.appendingPathComponent("qemu.stderr.log")
        let machine: Machine = useKVM ? .kvm : .qemu
        var session = EmulatorSession(
            name: machine.rawValue, program: qemu, arguments: command.arguments, folder: root,
            standardOutputFile: consoleFile, standardErrorFile: errorFile, consoleFile: consoleFile, errorPrefix: "qemu: ",
            timeout: timeout, console: request.echo ? .standardOutput : .silent, reporter: request.reporter
        )
        // -serial stdio reads the serial port's input from QEMU's stdin.
        let keys = request.forwardsKeyboard ? TerminalInput.start() : nil
        defer { keys?.stop() }
        if let keys {
            session.keyboard = (keys, .standardInput)
            request.reporter.line(TerminalInput.notice)
        }
        let outcome = try session.run()

        // QEMU exits 1 at once, silent on the console, when it rejects its
        // command line (its own message was streamed above): that is "could not start".
        let complaint = (try? String(contentsOf: errorFile, encoding: .utf8))?
            .split(separator: "\n").first.map(String.init)
        if outcome.exitCode == 1, outcome.transcript.isEmpty, let complaint {
            throw XToolError.couldNotStart(program: qemu.lastPathComponent, reason: complaint)
        }
        var warnings: [String] = []
        if let mismatch = StatusDecoder.crossCheck(transcript: outcome.transcript, qemuExitCode: outcome.exitCode) {
            warnings.append(mismatch)
        }
        return BootResult(
            machine: machine,
            status: StatusDecoder.decode(transcript: outcome.transcript, qemuExitCode: outcome.exitCode, timedOut: outcome.timedOut),
            transcript: outcome.transcript,
            emulatorExitCode: outcome.exitCode,
            seconds: outcome.seconds,
            warnings: warnings
        )
    }
}
