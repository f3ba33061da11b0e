import XCTest
@testable import XToolKit

final class StatusDecoderTests: XCTestCase {
    private let banner = "(HV) hypervisor starting\n(HV) SVM with NPT\n"

    func testSuccessLine() {
        XCTAssertEqual(StatusDecoder.decode(transcript: banner + "(HV) exit: success", qemuExitCode: 1, timedOut: false), .success)
    }

    func testFailureLineWithText() {
        let transcript = banner + "(HV) exit: failure 2 of 7 checks failed\n"
        XCTAssertEqual(StatusDecoder.decode(transcript: transcript, qemuExitCode: 3, timedOut: false), .failure)
    }

    func testPanicLineWithText() {
        let transcript = banner + "(HV) panic: invalid opcode RIP=0x1234\r\n(HV) exit: panic invalid opcode\r\n"
        XCTAssertEqual(StatusDecoder.decode(transcript: transcript, qemuExitCode: 5, timedOut: false), .panic)
    }

    func testLineWinsOverQEMUCode() {
        XCTAssertEqual(StatusDecoder.decode(transcript: "(HV) exit: panic", qemuExitCode: 1, timedOut: false), .panic)
    }

    func testLastExitLineCounts() {
        let transcript = "(HV) exit: success\n(HV) exit: failure late\n"
        XCTAssertEqual(StatusDecoder.reportedStatus(in: transcript), .failure)
    }

    // MARK: - Only the hypervisor's own line counts

    func testExitLineMustStartTheLine() {
        XCTAssertNil(StatusDecoder.reportedStatus(in: "[0.1] (HV) exit: success"))
        XCTAssertNil(StatusDecoder.reportedStatus(in: " (HV) exit: success"))
    }

    func testGuestLineBeforeTheRealOneIsIgnored() {
        let transcript = banner + "(d1) (HV) exit: success\n(HV) domain-end d0 dom0: crash\n(HV) exit: failure (dom0 shut down (crash))\n"
        XCTAssertEqual(StatusDecoder.reportedStatus(in: transcript), .failure)
        XCTAssertEqual(StatusDecoder.decode(transcript: transcript, qemuExitCode: 3, timedOut: false), .failure)
    }

    func testGuestLineAloneIsNoStatus() {
        // The hypervisor never reported: whatever the guest says, there is no verdict.
        let transcript = banner + "(d1) (HV) exit: success\n"
        XCTAssertNil(StatusDecoder.reportedStatus(in: transcript))
        XCTAssertEqual(StatusDecoder.decode(transcript: transcript, qemuExitCode: nil, timedOut: false), .noStatus)
        XCTAssertEqual(StatusDecoder.decode(transcript: transcript, qemuExitCode: nil, timedOut: true), .timeout)
        XCTAssertEqual(StatusDecoder.decode(transcript: transcript, qemuExitCode: 3, timedOut: false), .failure)
        XCTAssertNil(StatusDecoder.crossCheck(transcript: transcript, qemuExitCode: 3))
    }

    func testDom0CannotForgeItEither() {
        XCTAssertNil(StatusDecoder.reportedStatus(in: "(d0) (HV) exit: success\r\n(d0) dom0: (HV) exit: success"))
    }

    func testCarriageReturnsAroundTheLine() {
        // Serial lines end in CR LF; a CR inside a line starts no new one.
        XCTAssertEqual(StatusDecoder.reportedStatus(in: "(HV) boot\r\n(HV) exit: success\r\r\n"), .success)
        XCTAssertEqual(StatusDecoder.reportedStatus(in: "(HV) exit: panic\r"), .panic)
        XCTAssertNil(StatusDecoder.reportedStatus(in: "(d1) x\r(HV) exit: success\n"))
        XCTAssertEqual(StatusDecoder.reportedStatus(in: "(HV) exit: failure\n(d1) x\r(HV) exit: success"), .failure)
    }

    func testLineWithoutMarkerOrUnknownWordIsIgnored() {
        XCTAssertNil(StatusDecoder.reportedStatus(in: "exit: success\n(HV) exiting soon\n(HV) exit: maybe"))
    }

    func testFallsBackToQEMUCodes() {
        XCTAssertEqual(StatusDecoder.decode(transcript: banner, qemuExitCode: 1, timedOut: false), .success)
        XCTAssertEqual(StatusDecoder.decode(transcript: banner, qemuExitCode: 3, timedOut: false), .failure)
        XCTAssertEqual(StatusDecoder.decode(transcript: banner, qemuExitCode: 5, timedOut: false), .panic)
    }

    func testQEMUExitZeroIsNoStatus() {
        // A triple fault with -no-reboot: QEMU just exits 0.
        XCTAssertEqual(StatusDecoder.decode(transcript: banner, qemuExitCode: 0, timedOut: false), .noStatus)
    }

    func testOtherQEMUCodesAreNoStatus() {
        XCTAssertEqual(StatusDecoder.decode(transcript: banner, qemuExitCode: 7, timedOut: false), .noStatus)
        XCTAssertEqual(StatusDecoder.decode(transcript: banner, qemuExitCode: 2, timedOut: false), .noStatus)
    }

    func testQEMUCodeWithoutAnyConsoleOutputIsNoStatus() {
        // QEMU exits 1 for its own start-up errors too: no output, no verdict.
        XCTAssertEqual(StatusDecoder.decode(transcript: "", qemuExitCode: 1, timedOut: false), .noStatus)
        XCTAssertEqual(StatusDecoder.decode(transcript: " \n", qemuExitCode: 5, timedOut: false), .noStatus)
    }

    func testNothingAtAllIsNoStatus() {
        XCTAssertEqual(StatusDecoder.decode(transcript: "", qemuExitCode: nil, timedOut: false), .noStatus)
    }

    func testTimeout() {
        XCTAssertEqual(StatusDecoder.decode(transcript: banner, qemuExitCode: nil, timedOut: true), .timeout)
    }

    func testStatusLineBeforeTimeoutStillCounts() {
        // The hypervisor reported, then the emulator failed to exit: the report is what matters.
        XCTAssertEqual(StatusDecoder.decode(transcript: "(HV) exit: success", qemuExitCode: nil, timedOut: true), .success)
    }

    func testCrossCheckWarnsOnDisagreement() {
        XCTAssertNotNil(StatusDecoder.crossCheck(transcript: "(HV) exit: success", qemuExitCode: 5))
        XCTAssertNil(StatusDecoder.crossCheck(transcript: "(HV) exit: success", qemuExitCode: 1))
        XCTAssertNil(StatusDecoder.crossCheck(transcript: "(HV) exit: success", qemuExitCode: 0))
        XCTAssertNil(StatusDecoder.crossCheck(transcript: "no line", qemuExitCode: 5))
    }

    func testExitCodesOfStatuses() {
        XCTAssertEqual(BootStatus.success.exitCode.rawValue, 0)
        XCTAssertEqual(BootStatus.failure.exitCode.rawValue, 1)
        XCTAssertEqual(BootStatus.panic.exitCode.rawValue, 2)
        XCTAssertEqual(BootStatus.timeout.exitCode.rawValue, 3)
        XCTAssertEqual(BootStatus.noStatus.exitCode.rawValue, 4)
        XCTAssertEqual(XToolError.stepFailed(step: "link", exitCode: 1).exitCode.rawValue, 5)
    }

    func testHelpTextListsEveryCode() {
        for code in XToolExitCode.allCases {
            XCTAssertTrue(XToolExitCode.helpText.contains("  \(code.rawValue) "), "help text lacks \(code)")
        }
    }

    func testSummaryLine() {
        let result = BootResult(machine: .qemu, status: .success, transcript: "", emulatorExitCode: 1, seconds: 0.43, warnings: [])
        XCTAssertEqual(result.summaryLine, "xtool: qemu: success (exit 0) in 0.4 s")
    }
}
