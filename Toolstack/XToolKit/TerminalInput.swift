import Foundation

/// The terminal's settings from before `TerminalInput.start`, for
/// `TerminalInput.restore` (also called from a signal handler, which can
/// capture nothing: hence plain globals).
nonisolated(unsafe) private var settingsBeforeForwarding = termios()
nonisolated(unsafe) private var settingsNeedRestoring = false

/// Keystrokes typed into xtool's terminal, for the machine's serial port
/// (see `EmulatorSession.keyboard`).
///
/// While the machine runs, the terminal leaves line mode and stops echoing:
/// each key is passed on as it is typed, and what reaches the screen is what
/// the machine sends back. Ctrl-C still stops xtool and the machine, as it
/// does without forwarding. The settings come back when the machine ends, or
/// from `InterruptForwarder` when a signal ends xtool.
///
/// Only when stdin is a terminal of which xtool is in the foreground: tests,
/// CI and pipes get no forwarding at all, so their runs stay as they were.
public final class TerminalInput: ConsoleSource {
    /// Printed when forwarding starts.
    static let notice = "keyboard: keys typed here go to the machine's serial port; Ctrl-C stops it"

    /// Whether stdin is a terminal xtool may read and set up: a background
    /// job that does either is stopped by the terminal (SIGTTIN, SIGTTOU).
    public static func canForward(from descriptor: Int32 = STDIN_FILENO) -> Bool {
        isatty(descriptor) == 1 && tcgetpgrp(descriptor) == getpgrp()
    }

    /// The terminal settings while keys are forwarded, from the user's own.
    static func forwardingSettings(from original: termios) -> termios {
        var settings = original
        // Keys go out one at a time, not a line at a time, and are not echoed
        // here: the guest echoes what it reads, as over a serial line.
        settings.c_lflag &= ~tcflag_t(ICANON | ECHO | ECHONL | IEXTEN)
        // Enter stays a CR, as a serial terminal sends it; Ctrl-S and Ctrl-Q
        // reach the guest instead of pausing the screen.
        settings.c_iflag &= ~tcflag_t(ICRNL | INLCR | IGNCR | IXON)
        // ISIG stays (Ctrl-C), but Ctrl-Z and Ctrl-\ go to the guest: they
        // would stop or kill xtool with the terminal left in this mode.
        withUnsafeMutableBytes(of: &settings.c_cc) { characters in
            characters[Int(VSUSP)] = 0      // _POSIX_VDISABLE
            characters[Int(VQUIT)] = 0
            characters[Int(VMIN)] = 1
            characters[Int(VTIME)] = 0
        }
        // OPOST stays, so xtool's own lines still end in CR LF on the screen.
        return settings
    }

    /// Puts stdin into forwarding mode; nil when it is not a terminal xtool
    /// may read (then nothing changes).
    static func start() -> TerminalInput? {
        var original = termios()
        guard canForward(), tcgetattr(STDIN_FILENO, &original) == 0 else { return nil }
        var settings = forwardingSettings(from: original)
        settingsBeforeForwarding = original
        settingsNeedRestoring = true
        guard tcsetattr(STDIN_FILENO, TCSANOW, &settings) == 0 else {
            settingsNeedRestoring = false
            return nil
        }
        return TerminalInput()
    }

    private init() {}

    /// The keys typed since the last call (possibly none); never waits.
    public func readNew() -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var waiting = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        while poll(&waiting, 1, 0) == 1, waiting.revents & Int16(POLLIN) != 0 {
            let count = read(STDIN_FILENO, &buffer, buffer.count)
            guard count > 0 else { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return data
    }

    /// Gives the terminal its settings back.
    func stop() {
        Self.restore()
    }

    deinit {
        stop()
    }

    /// Restores the settings from before `start`, if they were changed.
    /// Async-signal-safe (only tcsetattr), for `InterruptForwarder`.
    static func restore() {
        guard settingsNeedRestoring else { return }
        settingsNeedRestoring = false
        tcsetattr(STDIN_FILENO, TCSANOW, &settingsBeforeForwarding)
    }
}
