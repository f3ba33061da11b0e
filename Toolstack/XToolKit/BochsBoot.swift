import Foundation

/// Boots under Bochs from a GRUB ISO. Everything of a run lives in build/bochs/:
/// bochsrc, the console (com1.log), Bochs' own log (bochs.log) and its
/// terminal output (bochs.out).
struct BochsBoot {
    var root: URL
    var kernel: URL
    var modules: [BootModule]
    var request: BootRequest
    var disks: ATADiskLayout
    var timeout: Double

    func run() throws -> BootResult {
        let builder = BochsISOBuilder(
            root: root, kernel: kernel, cmdline: request.cmdline,
            modules: modules, reporter: request.reporter
        )
        guard let grubMkrescue = ExecutableLookup.find("grub-mkrescue"),
              let bochs = ExecutableLookup.find("bochs")
        else {
            throw XToolError.hostToolMissing(name: "bochs or grub-mkrescue", packages: ["bochs", "grub-common"], reason: "not in PATH")
        }
        _ = try builder.build(grubMkrescue: grubMkrescue)

        let folder = builder.folder
        // A terminal for com1 makes the console arrive line by line; without
        // one (a host without /dev/ptmx) Bochs writes a file in bursts, and
        // the panic watch, which needs a live console, stays off.
        let terminal = PseudoTerminal.open()
        var config = BochsConfig(cpuModel: request.cpuModel ?? BochsConfig.defaultCPUModel)
        config.memoryMB = request.memoryMB
        config.instructionsPerSecond = request.bochsInstructionsPerSecond
        if let terminal {
            config.serialDevice = terminal.devicePath
        }
        // Keys go into com1's terminal, which Bochs then reads as well (term mode).
        let keys = request.forwardsKeyboard && terminal != nil ? TerminalInput.start() : nil
        defer { keys?.stop() }
        config.serialReadsInput = keys != nil
        try linkDisks(into: folder)
        config.disks = disks.attachments
        try config.text.write(to: folder.appendingPathComponent("bochsrc"), atomically: true, encoding: .utf8)
        try BochsConfig.debuggerCommands.write(to: folder.appendingPathComponent("debugger.rc"), atomically: true, encoding: .utf8)

        let output = folder.appendingPathComponent("bochs.out")
        var session = EmulatorSession(
            name: "bochs", program: bochs, arguments: ["-q", "-f", "bochsrc", "-rc", "debugger.rc"],
            folder: folder, environmentAdditions: BochsConfig.environment,
            standardOutputFile: output, standardErrorFile: output,
            consoleFile: folder.appendingPathComponent(BochsConfig.consoleLogPath), consoleTerminal: terminal,
            timeout: timeout, panicLog: terminal == nil ? nil : folder.appendingPathComponent(config.logPath),
            console: request.echo ? .standardOutput : .silent, reporter: request.reporter
        )
        if let keys {
            session.keyboard = (keys, .consoleTerminal)
            request.reporter.line(TerminalInput.notice)
        }
        let outcome = try session.run()
        let status = StatusDecoder.decode(transcript: outcome.transcript, qemuExitCode: nil, timedOut: outcome.timedOut)
        var warnings: [String] = []
        if outcome.diedAfterPanic, status == .noStatus {
            warnings.append("Bochs logged a panic (a triple fault outside any guest?) and the machine went quiet; see build/bochs/bochs.log")
        } else if status == .noStatus {
            warnings.append("Bochs stopped without a status; see build/bochs/bochs.log and build/bochs/bochs.out")
        }
        return BootResult(
            machine: .bochs, status: status, transcript: outcome.transcript,
            emulatorExitCode: outcome.exitCode, seconds: outcome.seconds, warnings: warnings
        )
    }

    /// Links each disk file into Bochs' folder under its position's name
    /// (the bochsrc names the link), and removes links of earlier runs.
    private func linkDisks(into folder: URL) throws {
        let manager = FileManager.default
        for position in 0..<ATADiskLayout.positionCount {
            try? manager.removeItem(at: folder.appendingPathComponent(ATADiskLayout.bochsLinkName(position)))
        }
        for attachment in disks.attachments {
            let link = folder.appendingPathComponent(ATADiskLayout.bochsLinkName(attachment.position))
            try manager.createSymbolicLink(at: link, withDestinationURL: attachment.disk.file.resolvingSymlinksInPath())
        }
    }
}
