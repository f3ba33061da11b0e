import XCTest
@testable import KernelCore

/// The decoder's subset, one form per test, with the bytes an assembler
/// emits for it (the comment gives the AT&T spelling).
final class InstructionDecoderTests: XCTestCase {
    private func decode(_ bytes: [UInt8], _ codeSize: CodeSize = .bits64,
                        file: StaticString = #filePath, line: UInt = #line) -> DecodedInstruction? {
        do {
            return try InstructionDecoder.decode(bytes, codeSize: codeSize)
        } catch {
            XCTFail("not decoded: \(error.description)", file: file, line: line)
            return nil
        }
    }

    private func failure(_ bytes: [UInt8], _ codeSize: CodeSize = .bits64) -> InstructionDecodingError? {
        do {
            _ = try InstructionDecoder.decode(bytes, codeSize: codeSize)
            return nil
        } catch {
            return error
        }
    }

    private func load(_ number: UInt8, size: UInt8, memory: UInt8? = nil, highByte: Bool = false,
                      _ widening: DecodedInstruction.Widening = .none) -> DecodedInstruction.Operation {
        .load(destination: RegisterOperand(number: number, size: size, isHighByte: highByte),
              memorySize: memory ?? size, widening: widening)
    }

    // MARK: - MOV loads and ModRM/SIB lengths

    func testLoadsWithEachAddressForm() {
        // movl (%rax), %eax: mod 00, r/m 000.
        XCTAssertEqual(decode([0x8B, 0x00]), DecodedInstruction(operation: load(0, size: 4), length: 2))
        // movl 8(%rbp), %r9d: REX.R, mod 01 (disp8).
        XCTAssertEqual(decode([0x44, 0x8B, 0x4D, 0x08]), DecodedInstruction(operation: load(9, size: 4), length: 4))
        // movq 0x30000000, %rax: SIB with no base and no index (base 101, mod 00): disp32.
        XCTAssertEqual(decode([0x48, 0x8B, 0x04, 0x25, 0x00, 0x00, 0x00, 0x30]),
                       DecodedInstruction(operation: load(0, size: 8), length: 8))
        // movl 0x10(%rip), %ecx: mod 00, r/m 101 is RIP-relative disp32.
        XCTAssertEqual(decode([0x8B, 0x0D, 0x10, 0x00, 0x00, 0x00]), DecodedInstruction(operation: load(1, size: 4), length: 6))
        // movl 0x12345678(%rsp), %eax: SIB (r/m 100) and mod 10 (disp32).
        XCTAssertEqual(decode([0x8B, 0x84, 0x24, 0x78, 0x56, 0x34, 0x12])?.length, 7)
        // movl 8(%rbp,%riz), %eax: SIB base 101 with mod 01 is RBP plus disp8, not disp32.
        XCTAssertEqual(decode([0x8B, 0x44, 0x25, 0x08])?.length, 4)
        // REX.B does not change the r/m 101 rule: with mod 00 it is still
        // RIP-relative (which is why (%r13) is encoded mod 01, disp8 0).
        XCTAssertEqual(decode([0x41, 0x8B, 0x05, 0x10, 0x00, 0x00, 0x00])?.length, 7)
        XCTAssertEqual(decode([0x41, 0x8B, 0x45, 0x00])?.length, 4)
        // movl (%r12), %eax needs a SIB byte like RSP.
        XCTAssertEqual(decode([0x41, 0x8B, 0x04, 0x24])?.length, 4)
    }

    func testThirtyTwoBitCodeHasNoREXAndNoRIPRelative() {
        // movl 0x30000000, %eax: mod 00, r/m 101 is a plain disp32 here.
        XCTAssertEqual(decode([0x8B, 0x05, 0x00, 0x00, 0x00, 0x30], .bits32),
                       DecodedInstruction(operation: load(0, size: 4), length: 6))
        // 48 is DEC EAX in 32-bit code, not a REX prefix.
        XCTAssertEqual(failure([0x48, 0x8B, 0x00], .bits32), .unsupportedOpcode([0x48]))
        XCTAssertEqual(failure([0x8B, 0x00], .bits16), .sixteenBitAddressing)
    }

    func testByteLoadsNameHighBytesOnlyWithoutREX() {
        // movb (%rbx), %ah and, with an empty REX, movb (%rbx), %spl.
        XCTAssertEqual(decode([0x8A, 0x23])?.operation, load(0, size: 1, highByte: true))
        XCTAssertEqual(decode([0x40, 0x8A, 0x23])?.operation, load(4, size: 1))
        XCTAssertEqual(decode([0x8A, 0x03])?.operation, load(0, size: 1))
        XCTAssertEqual(decode([0x44, 0x8A, 0x3B])?.operation, load(15, size: 1))
    }

    func testOperandSizePrefixes() {
        // movw (%rax), %dx; REX.W wins over 66h; a REX before 66h is not a REX.
        XCTAssertEqual(decode([0x66, 0x8B, 0x10])?.operation, load(2, size: 2))
        XCTAssertEqual(decode([0x66, 0x48, 0x8B, 0x10])?.operation, load(2, size: 8))
        XCTAssertEqual(decode([0x48, 0x66, 0x8B, 0x10])?.operation, load(2, size: 2))
        // Segment overrides, REP prefixes and 67h change nothing here.
        XCTAssertEqual(decode([0x64, 0xF3, 0x67, 0x8B, 0x00]), DecodedInstruction(operation: load(0, size: 4), length: 5))
    }

    // MARK: - Stores

    func testStores() {
        XCTAssertEqual(decode([0x89, 0x03]), DecodedInstruction(operation: .store(memorySize: 4), length: 2))
        XCTAssertEqual(decode([0x88, 0x20])?.operation, .store(memorySize: 1))
        XCTAssertEqual(decode([0x66, 0x89, 0x10])?.operation, .store(memorySize: 2))
        XCTAssertEqual(decode([0x48, 0x89, 0x44, 0x24, 0x08]), DecodedInstruction(operation: .store(memorySize: 8), length: 5))
    }

    func testImmediateStoresCountTheirImmediate() {
        // movb $0xff, (%rax); movl $imm32, (%rax); movw $imm16, (%rax); movq $imm32, 8(%rax).
        XCTAssertEqual(decode([0xC6, 0x00, 0xFF]), DecodedInstruction(operation: .store(memorySize: 1), length: 3))
        XCTAssertEqual(decode([0xC7, 0x00, 0x78, 0x56, 0x34, 0x12]), DecodedInstruction(operation: .store(memorySize: 4), length: 6))
        XCTAssertEqual(decode([0x66, 0xC7, 0x00, 0x34, 0x12]), DecodedInstruction(operation: .store(memorySize: 2), length: 5))
        XCTAssertEqual(decode([0x48, 0xC7, 0x40, 0x08, 0x01, 0x00, 0x00, 0x00]),
                       DecodedInstruction(operation: .store(memorySize: 8), length: 8))
        // RIP-relative with an immediate: the immediate comes after the displacement.
        XCTAssertEqual(decode([0xC7, 0x05, 0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00])?.length, 10)
        // Only /0 is MOV: C7 F8 is XBEGIN, C6 /1 is undefined.
        XCTAssertEqual(failure([0xC7, 0xF8, 0, 0, 0, 0]), .unsupportedOpcode([0xC7, 0xF8]))
        XCTAssertEqual(failure([0xC6, 0x08, 0]), .unsupportedOpcode([0xC6, 0x08]))
    }

    func testMemoryOffsetMoves() {
        let address: [UInt8] = [0x00, 0x00, 0x00, 0x30, 0, 0, 0, 0]
        // movabs 0x30000000, %eax / %al; movabs %rax, 0x30000000.
        XCTAssertEqual(decode([0xA1] + address), DecodedInstruction(operation: load(0, size: 4), length: 9))
        XCTAssertEqual(decode([0xA0] + address)?.operation, load(0, size: 1))
        XCTAssertEqual(decode([0x48, 0xA3] + address), DecodedInstruction(operation: .store(memorySize: 8), length: 10))
        XCTAssertEqual(decode([0xA2] + address)?.operation, .store(memorySize: 1))
        // 67h: a 4-byte address in 64-bit code; 32-bit code has 4 anyway.
        XCTAssertEqual(decode([0x67, 0xA1, 0x00, 0x00, 0x00, 0x30])?.length, 6)
        XCTAssertEqual(decode([0xA1, 0x00, 0x00, 0x00, 0x30], .bits32)?.length, 5)
        XCTAssertEqual(failure([0x67, 0xA1, 0x00, 0x30], .bits32), .sixteenBitAddressing)
    }

    // MARK: - MOVZX and MOVSX

    func testZeroAndSignExtendingLoads() {
        // movzbl (%rax), %eax; movzwl; movsbq (%rax), %rax; movswl; movzbw (66h).
        XCTAssertEqual(decode([0x0F, 0xB6, 0x00]),
                       DecodedInstruction(operation: load(0, size: 4, memory: 1, .zeroExtend), length: 3))
        XCTAssertEqual(decode([0x0F, 0xB7, 0x08])?.operation, load(1, size: 4, memory: 2, .zeroExtend))
        XCTAssertEqual(decode([0x48, 0x0F, 0xBE, 0x00])?.operation, load(0, size: 8, memory: 1, .signExtend))
        XCTAssertEqual(decode([0x0F, 0xBF, 0x00])?.operation, load(0, size: 4, memory: 2, .signExtend))
        XCTAssertEqual(decode([0x66, 0x0F, 0xB6, 0x00])?.operation, load(0, size: 2, memory: 1, .zeroExtend))
        // The destination of MOVZX r, r/m8 is never a high byte, even as reg 4.
        XCTAssertEqual(decode([0x0F, 0xB6, 0x20])?.operation, load(4, size: 4, memory: 1, .zeroExtend))
    }

    // MARK: - MOV to a control register

    func testMoveToControlRegister() {
        // mov %rax, %cr4; mov %r15, %cr4; mov %rax, %cr8 (REX.R).
        XCTAssertEqual(decode([0x0F, 0x22, 0xE0]),
                       DecodedInstruction(operation: .moveToControlRegister(number: 4, source: 0), length: 3))
        XCTAssertEqual(decode([0x41, 0x0F, 0x22, 0xE7])?.operation, .moveToControlRegister(number: 4, source: 15))
        XCTAssertEqual(decode([0x44, 0x0F, 0x22, 0xC0])?.operation, .moveToControlRegister(number: 8, source: 0))
        // The mod bits are ignored: no SIB or displacement follows.
        XCTAssertEqual(decode([0x0F, 0x22, 0x24], .bits32),
                       DecodedInstruction(operation: .moveToControlRegister(number: 4, source: 4), length: 3))
    }

    // MARK: - What is refused

    func testRefusals() {
        XCTAssertEqual(failure([0x0F, 0x10, 0x00]), .unsupportedOpcode([0x0F, 0x10]))   // movups
        XCTAssertEqual(failure([0xA4]), .unsupportedOpcode([0xA4]))                     // movsb
        XCTAssertEqual(failure([0x8B, 0xC0]), .registerOperand)                         // movl %eax, %eax
        XCTAssertEqual(failure([0xF0, 0x89, 0x00]), .lockPrefix)
        XCTAssertEqual(failure([0x67, 0x8B, 0x00], .bits32), .sixteenBitAddressing)
    }

    func testLengthLimits() {
        XCTAssertEqual(failure([]), .truncated)
        XCTAssertEqual(failure([0x8B]), .truncated)
        XCTAssertEqual(failure([0x48, 0x8B, 0x04, 0x25, 0x00]), .truncated)
        XCTAssertEqual(failure([0xC7, 0x00, 0x01, 0x00]), .truncated)
        // 15 bytes is the most an instruction may have (SDM Vol. 2A, 2.3.11).
        let fifteen = [UInt8](repeating: 0x66, count: 13) + [0x8B, 0x00]
        XCTAssertEqual(decode(fifteen)?.length, 15)
        XCTAssertEqual(failure([0x66] + fifteen), .tooLong)
    }

    func testErrorDescriptionsNameTheOpcode() {
        XCTAssertEqual(InstructionDecodingError.unsupportedOpcode([0x0F, 0x10]).description, "opcode 0x0f 0x10")
    }
}
