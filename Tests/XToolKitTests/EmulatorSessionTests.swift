import XCTest
@testable import XToolKit

/// EmulatorSession with /bin/sh as the "emulator": its stdout is the console.
final class EmulatorSessionTests: XCTestCase {
    private func run(_ script: String, in folder: TemporaryFolder,
                     keyboard: (source: ConsoleSource, route: EmulatorSession.KeyboardRoute)? = nil,
                     consoleTerminal: PseudoTerminal? = nil) throws -> EmulatorSession.Outcome {
        let console = folder.url.appendingPathComponent("console.log")
        var session = EmulatorSession(
            name: "sh", program: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script], folder: folder.url,
            standardOutputFile: console, standardErrorFile: folder.url.appendingPathComponent("stderr.log"),
            consoleFile: console, consoleTerminal: consoleTerminal, timeout: 20, console: .silent, reporter: .silent
        )
        session.keyboard = keyboard
        session.graceAfterStatus = 0.3
        return try session.run()
    }

    /// Keys typed once, as a terminal would give them.
    private final class TypedKeys: ConsoleSource {
        var pending: Data
        init(_ text: String) { pending = Data(text.utf8) }
        func readNew() -> Data {
            defer { pending = Data() }
            return pending
        }
    }

    func testWithoutAKeyboardTheEmulatorReadsNothing() throws {
        let folder = try TemporaryFolder()
        let outcome = try run("if read line; then echo \"got $line\"; else echo 'end of input'; fi", in: folder)
        XCTAssertEqual(outcome.transcript, "end of input")
    }

    func testKeysReachTheEmulatorsStandardInput() throws {
        let folder = try TemporaryFolder()
        let outcome = try run("read line; echo \"got $line\"", in: folder,
                              keyboard: (TypedKeys("uname -a\n"), .standardInput))
        XCTAssertEqual(outcome.transcript, "got uname -a")
        XCTAssertEqual(outcome.exitCode, 0)
    }

    func testKeysReachTheConsoleTerminal() throws {
        // As Bochs' com1 in term mode: the emulator reads the same terminal it writes.
        let folder = try TemporaryFolder()
        let terminal = try XCTUnwrap(PseudoTerminal.open())
        let device = terminal.devicePath
        let outcome = try run("read line < \(device); printf 'got %s\\r\\n' \"$line\" > \(device)", in: folder,
                              keyboard: (TypedKeys("ls /\n"), .consoleTerminal), consoleTerminal: terminal)
        XCTAssertEqual(outcome.transcript, "got ls /")
    }

    func testTheHypervisorsExitLineStopsALingeringEmulator() throws {
        let folder = try TemporaryFolder()
        let outcome = try run("printf '(HV) exit: success\\r\\n'; exec sleep 10", in: folder)
        XCTAssertNil(outcome.exitCode, "stopped after the grace period")
        XCTAssertLessThan(outcome.seconds, 5)
        XCTAssertEqual(StatusDecoder.decode(transcript: outcome.transcript, qemuExitCode: nil, timedOut: outcome.timedOut), .success)
    }

    func testAGuestsExitLineDoesNotStopIt() throws {
        // A guest prints the words; the hypervisor's real verdict comes later.
        let folder = try TemporaryFolder()
        let outcome = try run("printf '(d1) (HV) exit: success\\r\\n'; sleep 1; printf '(HV) exit: failure (dom0 shut down (crash))\\r\\n'", in: folder)
        XCTAssertEqual(outcome.exitCode, 0, "ran to its end")
        XCTAssertEqual(StatusDecoder.decode(transcript: outcome.transcript, qemuExitCode: nil, timedOut: outcome.timedOut), .failure)
    }
}
