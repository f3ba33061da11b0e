import XCTest
@testable import KernelCore

/// IN/OUT exits: an empty bus, except the 0xE9 debug port.
final class VMExitHandlerPortTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var domU: Domain { fixture.domU }
    private var registers: UnsafeMutablePointer<GuestRegisters> { fixture.registers(domU) }

    override func setUp() { fixture = HypervisorFixture() }
    override func tearDown() { fixture.release() }

    private func port(_ number: UInt16, size: UInt8, write: Bool, rax: UInt64) -> UInt64 {
        registers.pointee.rax = rax
        fixture.handler(domU).handle(.make(.ioPort(port: number, size: size, isWrite: write), length: 1))
        return registers.pointee.rax
    }

    func testReadsSeeAllOnesOfTheirWidth() {
        XCTAssertEqual(port(0x60, size: 1, write: false, rax: 0x1122_3344_5566_7788), 0x1122_3344_5566_77FF)
        XCTAssertEqual(port(0x60, size: 2, write: false, rax: 0x1122_3344_5566_7788), 0x1122_3344_5566_FFFF)
        // A 32-bit IN writes EAX, which zero-extends into RAX (SDM Vol. 1, 3.4.1.1).
        XCTAssertEqual(port(0xCFC, size: 4, write: false, rax: 0x1122_3344_5566_7788), 0x0000_0000_FFFF_FFFF)
        XCTAssertEqual(fixture.backend.instructionPointerChanges, [0x10_0001, 0x10_0002, 0x10_0003])
    }

    func testDebugPortWritesGoToTheConsoleLine() {
        for byte in Array("Hi".utf8) { _ = port(0xE9, size: 1, write: true, rax: 0xAB00 | UInt64(byte)) }
        XCTAssertEqual(String(decoding: domU.consoleLine, as: UTF8.self), "Hi")
        _ = port(0xE9, size: 1, write: true, rax: 0x0A)
        XCTAssertEqual(domU.consoleLine, [])
    }

    func testOtherWritesAreDropped() {
        XCTAssertEqual(port(0x80, size: 1, write: true, rax: 0x41), 0x41)
        XCTAssertEqual(port(0x3F8, size: 1, write: true, rax: 0x41), 0x41)
        XCTAssertEqual(domU.consoleLine, [])
        XCTAssertEqual(fixture.backend.instructionPointerChanges, [0x10_0001, 0x10_0002])
        XCTAssertEqual(fixture.backend.injectedExceptions, [])
    }
}
