import Foundation

/// Runs an emulator to the end while streaming its serial console line by line.
///
/// The emulator writes the console to a file (QEMU's stdout) that this loop
/// tails, or to a terminal (Bochs' com1) that it reads and copies to a file.
/// One polling loop on one thread keeps the logic easy to follow: read new
/// console text, then check exit, status line, a silent death and deadline.
struct EmulatorSession {
    var name: String
    var program: URL
    var arguments: [String]
    var folder: URL
    var environmentAdditions: [String: String] = [:]
    /// Where the emulator's stdout and stderr go.
    var standardOutputFile: URL
    var standardErrorFile: URL
    /// The file holding the serial console (may be `standardOutputFile`).
    var consoleFile: URL
    /// If set, the console is read from this terminal and copied to `consoleFile`.
    var consoleTerminal: PseudoTerminal? = nil
    /// Keystrokes to pass to the machine's serial port while it runs, and
    /// their way there; nil: the emulator gets no input at all.
    var keyboard: (source: ConsoleSource, route: KeyboardRoute)? = nil
    /// If set, the emulator's stderr is streamed too, each line with this prefix
    /// (QEMU's messages are few and matter; Bochs' are many and go to a file only).
    var errorPrefix: String? = nil
    var timeout: Double
    /// Bochs' own log: watched for a panic after which the console stays
    /// quiet, which means the machine died (see `SilentPanicWatch`).
    var panicLog: URL? = nil
    /// Receives each console line as it arrives.
    var console: Reporter
    var reporter: Reporter

    /// After the hypervisor's `(HV) exit:` line, the emulator should end by
    /// itself; if it does not within this many seconds it is stopped, status kept.
    var graceAfterStatus = 3.0
    /// A further line after which the machine is done, for a hypervisor that
    /// prints no `(HV) exit:` line (Xen, under `xtool bench --against xen`):
    /// it starts the same grace period.
    var endsAfterLine: ((String) -> Bool)? = nil
    static let pollInterval: useconds_t = 20_000

    /// How keystrokes reach the serial port.
    enum KeyboardRoute {
        /// Through a pipe on the emulator's stdin: QEMU's `-serial stdio` reads it.
        case standardInput
        /// Into `consoleTerminal`, which the emulator reads too: Bochs' com1 in term mode.
        case consoleTerminal
    }

    struct Outcome {
        var transcript: String
        /// The emulator's exit code, nil if we had to stop it.
        var exitCode: Int32?
        var timedOut: Bool
        /// Stopped because the machine died silently after an emulator panic.
        var diedAfterPanic: Bool
        var seconds: Double
    }

    func run() throws -> Outcome {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environmentAdditions) { $1 }
        // Never our terminal: an emulator reading it would change its mode
        // behind our back. Forwarded keys come through a pipe instead.
        let keyboardPipe = keyboard?.route == .standardInput ? Pipe() : nil
        process.standardInput = keyboardPipe ?? FileHandle.nullDevice
        defer { try? keyboardPipe?.fileHandleForWriting.close() }
        if let writer = keyboardPipe?.fileHandleForWriting.fileDescriptor {
            // An emulator whose serial port is not being read stops reading
            // its stdin; keys beyond what the pipe holds are dropped rather
            // than stall the console loop.
            _ = fcntl(writer, F_SETFL, fcntl(writer, F_GETFL) | O_NONBLOCK)
        }
        let pipeSignalAction = keyboardPipe == nil ? nil : signal(SIGPIPE, SIG_IGN)
        defer { if let pipeSignalAction { signal(SIGPIPE, pipeSignalAction) } }

        for file in Set([standardOutputFile, standardErrorFile, consoleFile] + [panicLog].compactMap { $0 }) {
            try FileTailer.emptyFile(file)
        }
        let console: ConsoleSource = try consoleTerminal ?? FileTailer(consoleFile)
        let consoleCopy = consoleTerminal == nil ? nil : try FileHandle(forWritingTo: consoleFile)
        defer { try? consoleCopy?.close() }
        func readConsole() -> Data {
            let text = console.readNew()
            if !text.isEmpty { consoleCopy?.write(text) }
            return text
        }
        let logTail = try panicLog.map { try FileTailer($0) }
        let errorTail = errorPrefix == nil || standardErrorFile == consoleFile ? nil : try FileTailer(standardErrorFile)
        let output = try FileHandle(forWritingTo: standardOutputFile)
        let errors = standardErrorFile == standardOutputFile ? output : try FileHandle(forWritingTo: standardErrorFile)
        process.standardOutput = output
        process.standardError = errors

        let start = Date()
        do {
            try process.run()
        } catch {
            throw XToolError.couldNotStart(program: program.path, reason: error.localizedDescription)
        }
        let interrupts = InterruptForwarder(child: process.processIdentifier)
        defer { interrupts.stop() }

        var splitter = LineSplitter()
        var errorSplitter = LineSplitter()
        var logSplitter = LineSplitter()
        var panicWatch = SilentPanicWatch()
        var consoleBytes = 0
        var lines: [String] = []
        var statusSeenAt: Date?
        var stoppedByUs = false
        var timedOut = false
        var diedAfterPanic = false

        func take(_ newLines: [String]) {
            for line in newLines {
                lines.append(line)
                self.console.line(line)
                // Only the hypervisor's own line starts the grace period: a
                // guest printing the same words must not get the machine stopped.
                if statusSeenAt == nil, StatusDecoder.reportedStatus(in: line) != nil || endsAfterLine?(line) == true {
                    statusSeenAt = Date()
                }
            }
        }

        func passKeys() {
            guard let keyboard else { return }
            let keys = keyboard.source.readNew()
            guard !keys.isEmpty else { return }
            switch keyboard.route {
            case .standardInput:
                if let pipe = keyboardPipe { Self.write(keys, to: pipe.fileHandleForWriting.fileDescriptor) }
            case .consoleTerminal:
                consoleTerminal?.write(keys)
            }
        }

        func passErrors() {
            guard let errorTail, let errorPrefix else { return }
            for line in errorSplitter.feed(errorTail.readNew()) {
                reporter.line(errorPrefix + line)
            }
        }

        while true {
            // The console before the log: bytes read after a panic was seen
            // were printed after it (or were still on their way; see the watch).
            let text = readConsole()
            consoleBytes += text.count
            panicWatch.console(bytes: consoleBytes)
            take(splitter.feed(text))
            if let logTail {
                panicWatch.logLines(logSplitter.feed(logTail.readNew()), consoleBytes: consoleBytes, at: Date())
            }
            passErrors()
            if !process.isRunning { break }
            passKeys()
            if let seen = statusSeenAt, Date().timeIntervalSince(seen) > graceAfterStatus {
                stoppedByUs = true
                Self.stop(process)
                break
            }
            if panicWatch.machineIsDead(at: Date()) {
                diedAfterPanic = true
                stoppedByUs = true
                reporter.line("xtool: \(name) logged a panic and the console has been quiet since; stopping it")
                Self.stop(process)
                break
            }
            if Date().timeIntervalSince(start) > timeout {
                timedOut = true
                stoppedByUs = true
                reporter.line("xtool: \(name) did not finish within \(Self.format(timeout)) s; stopping it")
                Self.stop(process)
                break
            }
            usleep(Self.pollInterval)
        }
        process.waitUntilExit()
        take(splitter.feed(readConsole()))
        if let last = splitter.finish() { take([last]) }
        // After we stopped it, the emulator only says that it got a signal.
        if !stoppedByUs {
            passErrors()
            if let last = errorSplitter.finish(), let errorPrefix { reporter.line(errorPrefix + last) }
        }
        try? output.close()
        if errors !== output { try? errors.close() }

        return Outcome(
            transcript: lines.joined(separator: "\n"),
            exitCode: stoppedByUs ? nil : CommandRunner.exitStatus(of: process),
            timedOut: timedOut,
            diedAfterPanic: diedAfterPanic,
            seconds: Date().timeIntervalSince(start)
        )
    }

    /// Writes to the emulator's stdin pipe, best effort. Plain write(2), not
    /// FileHandle, and SIGPIPE ignored by `run`: an emulator that just exited
    /// must not take xtool with it.
    static func write(_ bytes: Data, to descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            _ = Glibc.write(descriptor, buffer.baseAddress, buffer.count)
        }
    }

    /// SIGTERM, then SIGKILL if it is still there after two seconds.
    static func stop(_ process: Process) {
        process.terminate()
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning && Date() < deadline {
            usleep(pollInterval)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}
