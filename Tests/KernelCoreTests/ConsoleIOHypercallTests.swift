import XCTest
import XenPublic
@testable import KernelCore

final class ConsoleIOHypercallTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var domU: Domain { fixture.domU }

    override func setUp() { fixture = HypervisorFixture() }
    override func tearDown() { fixture.release() }

    private func console(_ command: Int32, count: UInt64, buffer: UInt64) -> UInt64 {
        fixture.call(domU, __HYPERVISOR_console_io, UInt64(UInt32(bitPattern: command)), count, buffer)
    }

    private var line: String { String(decoding: domU.consoleLine, as: UTF8.self) }

    func testWriteCollectsALine() {
        XCTAssertTrue(domU.memory.write(Array("hello, world".utf8), at: 0x2000))
        XCTAssertEqual(console(CONSOLEIO_write, count: 5, buffer: 0x2000), 0)
        XCTAssertEqual(line, "hello")
        XCTAssertEqual(console(CONSOLEIO_write, count: 0, buffer: 0x2000), 0)
        XCTAssertEqual(line, "hello")
    }

    func testNewlinePrintsTheLineAndControlCharactersAreReplaced() {
        XCTAssertTrue(domU.memory.write(Array("one\ntw".utf8) + [0x1B, 0x07, 0x09] + Array("o".utf8), at: 0x2000))
        XCTAssertEqual(console(CONSOLEIO_write, count: 10, buffer: 0x2000), 0)
        XCTAssertEqual(line, "tw??\to")
    }

    func testCarriageReturnsAreDropped() {
        XCTAssertTrue(domU.memory.write(Array("one\r\ntwo\rthree".utf8), at: 0x2000))
        XCTAssertEqual(console(CONSOLEIO_write, count: 14, buffer: 0x2000), 0)
        XCTAssertEqual(line, "twothree")
    }

    func testLongLinesAreCut() {
        XCTAssertTrue(domU.memory.write([UInt8](repeating: UInt8(ascii: "x"), count: 450), at: 0x2000))
        XCTAssertEqual(console(CONSOLEIO_write, count: 450, buffer: 0x2000), 0)
        XCTAssertEqual(domU.consoleLine.count, 50)
    }

    func testBadPointer() {
        XCTAssertEqual(console(CONSOLEIO_write, count: 4, buffer: HypervisorFixture.memoryBytes - 2), ReturnValue.EFAULT)
        XCTAssertEqual(domU.consoleLine, [])
        XCTAssertEqual(console(CONSOLEIO_write, count: 1, buffer: UInt64.max), ReturnValue.EFAULT)
    }

    func testFaultInALaterChunkKeepsTheEarlierOnes() {
        let start = HypervisorFixture.memoryBytes - 1500
        XCTAssertTrue(domU.memory.write([UInt8](repeating: UInt8(ascii: "a"), count: 1500), at: start))
        XCTAssertEqual(console(CONSOLEIO_write, count: 2000, buffer: start), ReturnValue.EFAULT)
        XCTAssertEqual(domU.consoleLine.count, 1024 % 200, "the first 1024-byte chunk was printed")
    }

    func testTooLongIsEINVAL() {
        XCTAssertEqual(console(CONSOLEIO_write, count: 64 * 1024 + 1, buffer: 0x2000), ReturnValue.EINVAL)
        XCTAssertEqual(console(CONSOLEIO_write, count: UInt64.max, buffer: 0x2000), ReturnValue.EINVAL)
        XCTAssertEqual(domU.consoleLine, [])
    }

    func testReadReturnsNothing() {
        XCTAssertEqual(console(CONSOLEIO_read, count: 16, buffer: 0x2000), 0)
    }

    func testUnknownCommand() {
        XCTAssertEqual(console(2, count: 0, buffer: 0), ReturnValue.ENOSYS)
        XCTAssertEqual(console(-1, count: 0, buffer: 0), ReturnValue.ENOSYS)
    }
}
