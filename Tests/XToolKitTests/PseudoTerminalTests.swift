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
