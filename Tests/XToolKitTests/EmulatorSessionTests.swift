import XCTest
@testable import XToolKit

/// EmulatorSession with /bin/sh as the "emulator": its stdout is the console.
final class EmulatorSessionTests: XCTestCase {
    private func run(_ script: String, in folder: TemporaryFolder) throws -> EmulatorSession.Outcome {
        let console = folder.url.appendingPathComponent("console.log")
        var session = EmulatorSession(
            name: "sh", program: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script], folder: folder.url,
            standardOutputFile: console, standardErrorFile: folder.url.appendingPathComponent("stderr.log"),
            consoleFile: console, timeout: 20, console: .silent, reporter: .silent
        )
        session.graceAfterStatus = 0.3
        return try session.run()
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
