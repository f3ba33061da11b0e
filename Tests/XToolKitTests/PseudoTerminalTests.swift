import XCTest
@testable import XToolKit

final class PseudoTerminalTests: XCTestCase {
    func testBytesWrittenToTheDeviceArriveUnchanged() throws {
        let terminal = try XCTUnwrap(PseudoTerminal.open(), "this host gives no pseudo-terminal")
        XCTAssertTrue(terminal.devicePath.hasPrefix("/dev/pts/"), terminal.devicePath)
        XCTAssertEqual(terminal.readNew(), Data(), "nothing written yet, and no blocking")

        let writer = try XCTUnwrap(FileHandle(forWritingAtPath: terminal.devicePath))
        writer.write(Data("(HV) line one\r\n(HV) two\n".utf8))
        try writer.close()
        var received = Data()
        for _ in 0..<100 where received.count < 24 {
            received += terminal.readNew()
            usleep(10_000)
        }
        XCTAssertEqual(String(decoding: received, as: UTF8.self), "(HV) line one\r\n(HV) two\n", "raw mode: no \\n to \\r\\n")
    }
}

final class TerminalInputTests: XCTestCase {
    func testForwardingSettingsPassKeysAtOnceAndKeepCtrlC() {
        var original = termios()
        original.c_lflag = tcflag_t(ICANON | ECHO | ECHOE | ISIG | IEXTEN)
        original.c_iflag = tcflag_t(ICRNL | IXON | BRKINT)
        original.c_oflag = tcflag_t(OPOST | ONLCR)
        withUnsafeMutableBytes(of: &original.c_cc) { characters in
            characters[Int(VINTR)] = 3
            characters[Int(VSUSP)] = 26
            characters[Int(VQUIT)] = 28
        }
        var settings = TerminalInput.forwardingSettings(from: original)
        XCTAssertEqual(settings.c_lflag & tcflag_t(ICANON | ECHO | IEXTEN), 0, "no line mode, no local echo")
        XCTAssertNotEqual(settings.c_lflag & tcflag_t(ISIG), 0, "Ctrl-C still stops xtool")
        XCTAssertEqual(settings.c_iflag & tcflag_t(ICRNL | IXON), 0, "Enter stays CR, Ctrl-S reaches the guest")
        XCTAssertEqual(settings.c_oflag, tcflag_t(OPOST | ONLCR), "xtool's lines still end in CR LF")
        let characters = withUnsafeBytes(of: &settings.c_cc) { Array($0) }
        XCTAssertEqual(characters[Int(VINTR)], 3)
        XCTAssertEqual(characters[Int(VSUSP)], 0, "Ctrl-Z must not stop xtool in this mode")
        XCTAssertEqual(characters[Int(VQUIT)], 0)
        XCTAssertEqual(characters[Int(VMIN)], 1)
    }

    func testOnlyATerminalIsForwarded() throws {
        let pipe = Pipe()
        XCTAssertFalse(TerminalInput.canForward(from: pipe.fileHandleForReading.fileDescriptor))
        let null = try XCTUnwrap(FileHandle(forReadingAtPath: "/dev/null"))
        XCTAssertFalse(TerminalInput.canForward(from: null.fileDescriptor))
        // A terminal xtool does not control (not its foreground) is not read either.
        let terminal = try XCTUnwrap(PseudoTerminal.open())
        // O_NOCTTY: a session leader (as a test runner may be) would otherwise make it its terminal.
        let device = open(terminal.devicePath, O_RDONLY | O_NOCTTY)
        XCTAssertGreaterThanOrEqual(device, 0)
        defer { close(device) }
        XCTAssertFalse(TerminalInput.canForward(from: device))
    }
}
