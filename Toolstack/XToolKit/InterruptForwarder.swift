import Foundation

/// The emulator to kill if xtool is interrupted (0: none). A plain global,
/// because a C signal handler can capture nothing.
nonisolated(unsafe) private var runningEmulator: pid_t = 0

/// Foundation starts each child process in a process group of its own, so a
/// Ctrl-C in the terminal reaches xtool but not the emulator, which would keep
/// running on its own. While an emulator runs, this catches SIGINT, SIGTERM and
/// SIGHUP, kills the emulator, gives the terminal back its settings if keys
/// were being forwarded (`TerminalInput`), and exits xtool with 128 + the
/// signal number.
struct InterruptForwarder {
    private static let signals = [SIGINT, SIGTERM, SIGHUP]

    init(child: pid_t) {
        runningEmulator = child
        for signalNumber in Self.signals {
            // Only async-signal-safe calls in here: kill, tcsetattr and _exit.
            signal(signalNumber) { received in
                if runningEmulator > 0 { kill(runningEmulator, SIGKILL) }
                TerminalInput.restore()
                _exit(128 + received)
            }
        }
    }

    /// Gives the signals back their default actions.
    func stop() {
        runningEmulator = 0
        for signalNumber in Self.signals { signal(signalNumber, SIG_DFL) }
    }
}
