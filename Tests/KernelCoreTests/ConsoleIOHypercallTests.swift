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

    func testABlockPrintsTheLineBegun() {
        XCTAssertTrue(domU.memory.write(Array("/ # ".utf8), at: 0x2000))
        XCTAssertEqual(console(CONSOLEIO_write, count: 4, buffer: 0x2000), 0)
        XCTAssertEqual(line, "/ # ")
        let output = captureStandardOutput {
            _ = self.fixture.call(self.domU, __HYPERVISOR_sched_op, UInt64(SCHEDOP_block), 0)
        }
        XCTAssertEqual(output, "(d1) / # \n")
        XCTAssertEqual(domU.consoleLine, [])
    }

    func testTooLongIsEINVAL() {
        XCTAssertEqual(console(CONSOLEIO_write, count: 64 * 1024 + 1, buffer: 0x2000), ReturnValue.EINVAL)
        XCTAssertEqual(console(CONSOLEIO_write, count: UInt64.max, buffer: 0x2000), ReturnValue.EINVAL)
        XCTAssertEqual(domU.consoleLine, [])
    }

    // MARK: - Reading the machine's console (dom0 only)

    /// Connects a device that has `typed` waiting, and polls it once.
    private func type(_ typed: String) {
        var waiting = Array(typed.utf8)
        fixture.hypervisor.consoleInput.connect { waiting.isEmpty ? nil : waiting.removeFirst() }
        XCTAssertEqual(fixture.hypervisor.consoleInput.poll(), !typed.isEmpty)
    }

    private func read(_ caller: Domain, count: UInt64, buffer: UInt64) -> UInt64 {
        fixture.call(caller, __HYPERVISOR_console_io, UInt64(CONSOLEIO_read), count, buffer)
    }

    func testReadWithNothingTypedReturnsNothing() {
        XCTAssertEqual(read(fixture.dom0, count: 16, buffer: 0x2000), 0)
    }

    func testDom0ReadsWhatWasTypedOldestFirst() {
        type("ls -l\r")
        XCTAssertEqual(read(fixture.dom0, count: 3, buffer: 0x2000), 3)
        XCTAssertEqual(fixture.dom0.memory.bytes(at: 0x2000, count: 3), Array("ls ".utf8))
        XCTAssertEqual(read(fixture.dom0, count: 16, buffer: 0x3000), 3)
        XCTAssertEqual(fixture.dom0.memory.bytes(at: 0x3000, count: 3), Array("-l\r".utf8))
        XCTAssertEqual(read(fixture.dom0, count: 16, buffer: 0x3000), 0)
    }

    func testOtherDomainsMayNotReadAndABadBufferLosesNothing() {
        type("x")
        XCTAssertEqual(read(domU, count: 1, buffer: 0x2000), ReturnValue.EPERM)
        XCTAssertEqual(read(fixture.dom0, count: 1, buffer: HypervisorFixture.memoryBytes), ReturnValue.EFAULT)
        XCTAssertEqual(fixture.hypervisor.consoleInput.pending, 1)
        XCTAssertEqual(read(fixture.dom0, count: 1, buffer: 0x2000), 1)
    }

    func testInputBeyondTheBufferIsDroppedAndCounted() {
        type(String(repeating: "a", count: ConsoleInput.capacity + 5))
        XCTAssertEqual(fixture.hypervisor.consoleInput.pending, ConsoleInput.capacity)
        XCTAssertEqual(fixture.hypervisor.consoleInput.dropped, 5)
    }

    func testUnknownCommand() {
        XCTAssertEqual(console(2, count: 0, buffer: 0), ReturnValue.ENOSYS)
        XCTAssertEqual(console(-1, count: 0, buffer: 0), ReturnValue.ENOSYS)
    }
}
