import XCTest
@testable import KernelCore

/// How writing part of a register changes the whole (Intel SDM Vol. 1, 3.4.1.1).
final class RegisterOperandTests: XCTestCase {
    private let old: UInt64 = 0x1122_3344_5566_7788

    func testWidthsMergeOrZeroExtend() {
        XCTAssertEqual(RegisterOperand(number: 0, size: 8).written(0xAAAA_BBBB_CCCC_DDDD, into: old), 0xAAAA_BBBB_CCCC_DDDD)
        XCTAssertEqual(RegisterOperand(number: 0, size: 4).written(UInt64.max, into: old), 0x0000_0000_FFFF_FFFF)
        XCTAssertEqual(RegisterOperand(number: 0, size: 2).written(UInt64.max, into: old), 0x1122_3344_5566_FFFF)
        XCTAssertEqual(RegisterOperand(number: 0, size: 1).written(UInt64.max, into: old), 0x1122_3344_5566_77FF)
        XCTAssertEqual(RegisterOperand(number: 0, size: 1, isHighByte: true).written(UInt64.max, into: old),
                       0x1122_3344_5566_FF88)
    }

    func testByteRegistersFourToSevenDependOnREX() {
        XCTAssertEqual(RegisterOperand.byte(4, hasREX: false), RegisterOperand(number: 0, size: 1, isHighByte: true))   // AH
        XCTAssertEqual(RegisterOperand.byte(7, hasREX: false), RegisterOperand(number: 3, size: 1, isHighByte: true))   // BH
        XCTAssertEqual(RegisterOperand.byte(4, hasREX: true), RegisterOperand(number: 4, size: 1))                      // SPL
        XCTAssertEqual(RegisterOperand.byte(3, hasREX: false), RegisterOperand(number: 3, size: 1))                     // BL
        XCTAssertEqual(RegisterOperand.byte(12, hasREX: true), RegisterOperand(number: 12, size: 1))                    // R12B
    }

    func testEncodedNumbersReachEveryRegisterButRSP() {
        var registers = GuestRegisters()
        for number in UInt8(0)..<16 where number != 4 {
            XCTAssertTrue(registers.set(encoded: number, to: 0x100 + UInt64(number)))
        }
        XCTAssertFalse(registers.set(encoded: 4, to: 1))
        XCTAssertEqual([registers.rax, registers.rcx, registers.rdx, registers.rbx, registers.rbp, registers.rsi,
                        registers.rdi, registers.r8, registers.r15],
                       [0x100, 0x101, 0x102, 0x103, 0x105, 0x106, 0x107, 0x108, 0x10F])
        XCTAssertNil(registers.value(encoded: 4))
        XCTAssertEqual(registers.value(encoded: 13), 0x10D)
    }
}
