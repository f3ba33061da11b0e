/// Decodes the few x86 instructions the hypervisor emulates: the moves
/// between a general register (or an immediate) and memory, which a guest
/// uses on device memory, and MOV to a control register. Everything else
/// is `unsupportedOpcode`; the caller then refuses to emulate.
///
/// The subset (Intel SDM Vol. 2, appendix A, the one-byte and two-byte
/// opcode maps; 32- and 64-bit code only):
///
///     88 /r  MOV r/m8, r8          8A /r  MOV r8, r/m8
///     89 /r  MOV r/m, r            8B /r  MOV r, r/m
///     C6 /0  MOV r/m8, imm8        C7 /0  MOV r/m, imm16/32
///     A0     MOV AL, moffs8        A1     MOV eAX, moffs
///     A2     MOV moffs8, AL        A3     MOV moffs, eAX
///     0F B6  MOVZX r, r/m8         0F B7  MOVZX r, r/m16
///     0F BE  MOVSX r, r/m8         0F BF  MOVSX r, r/m16
///     0F 22  MOV CRn, r
///
/// with these prefixes (Vol. 2A, 2.1.1 and 2.2.1): 66h (16-bit operand),
/// 67h (32-bit addressing in 64-bit code; in 32-bit code it would mean
/// 16-bit addressing, which is refused), the segment overrides and F2h/F3h
/// (none changes what these instructions do to a register, and the
/// faulting address comes from the hardware, not from here), and REX in
/// 64-bit code. LOCK is refused. Operand size: REX.W makes it 8 bytes, else
/// 66h makes it 2, else it is 4.
///
/// The length follows the ModRM and SIB rules of 32/64-bit addressing
/// (Vol. 2A, 2.1.5, tables 2-2 and 2-3): mod 00 with r/m 101 is a 32-bit
/// displacement alone (RIP-relative in 64-bit code, 2.2.1.6); r/m 100
/// adds a SIB byte, and a SIB base of 101 with mod 00 a 32-bit
/// displacement; mod 01 adds 8 bits of displacement, mod 10 32 bits. REX.B
/// does not change these special cases (2.2.1.2).
struct InstructionDecoder {
    static let maximumLength = 15

    private let bytes: [UInt8]
    private let codeSize: CodeSize
    private var position = 0
    private var operandSizeOverride = false
    private var addressSizeOverride = false
    /// The REX byte (40h-4Fh) right before the opcode, or 0 for none.
    private var rex: UInt8 = 0

    private init(_ bytes: [UInt8], codeSize: CodeSize) {
        self.bytes = bytes
        self.codeSize = codeSize
    }

    static func decode(_ bytes: [UInt8], codeSize: CodeSize) throws(InstructionDecodingError) -> DecodedInstruction {
        guard codeSize != .bits16 else { throw .sixteenBitAddressing }
        var decoder = InstructionDecoder(bytes, codeSize: codeSize)
        return try decoder.decode()
    }

    // MARK: - Prefixes and opcodes

    private mutating func decode() throws(InstructionDecodingError) -> DecodedInstruction {
        let opcode = try opcodeAfterPrefixes()
        switch opcode {
        case 0x88: return try memoryOperand(.store(memorySize: 1))
        case 0x89: return try memoryOperand(.store(memorySize: operandSize))
        case 0x8A, 0x8B: return try registerLoad(memorySize: opcode == 0x8A ? 1 : operandSize, widening: .none)
        case 0xC6, 0xC7: return try immediateStore(memorySize: opcode == 0xC6 ? 1 : operandSize, opcode: opcode)
        case 0xA0...0xA3: return try memoryOffsetMove(opcode)
        case 0x0F: return try twoByteOpcode()
        default: throw .unsupportedOpcode([opcode])
        }
    }

    /// Skips the legacy prefixes and REX. A REX prefix counts only right
    /// before the opcode: one followed by a legacy prefix is ignored
    /// (Vol. 2A, 2.2.1).
    private mutating func opcodeAfterPrefixes() throws(InstructionDecodingError) -> UInt8 {
        while true {
            let byte = try nextByte()
            switch byte {
            case 0x66: operandSizeOverride = true
            case 0x67: addressSizeOverride = true
            case 0xF0: throw .lockPrefix
            case 0xF2, 0xF3, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65: break
            case 0x40...0x4F where codeSize == .bits64:
                rex = byte
                continue
            default:
                return byte
            }
            rex = 0
        }
    }

    private mutating func twoByteOpcode() throws(InstructionDecodingError) -> DecodedInstruction {
        let opcode = try nextByte()
        switch opcode {
        case 0xB6: return try registerLoad(memorySize: 1, widening: .zeroExtend)
        case 0xB7: return try registerLoad(memorySize: 2, widening: .zeroExtend)
        case 0xBE: return try registerLoad(memorySize: 1, widening: .signExtend)
        case 0xBF: return try registerLoad(memorySize: 2, widening: .signExtend)
        case 0x22: return try moveToControlRegister()
        default: throw .unsupportedOpcode([0x0F, opcode])
        }
    }

    // MARK: - The instruction forms

    /// 8A, 8B, MOVZX, MOVSX: ModRM.reg is the destination, r/m the memory.
    private mutating func registerLoad(memorySize: UInt8,
                                       widening: DecodedInstruction.Widening) throws(InstructionDecodingError) -> DecodedInstruction {
        let modRM = try nextByte()
        let encoded = ((modRM >> 3) & 7) | (rexR << 3)
        // MOVZX/MOVSX write the operand size (at least 16 bits); MOV r8 one byte.
        let size = widening == .none ? memorySize : operandSize
        let destination = size == 1 ? RegisterOperand.byte(encoded, hasREX: rex != 0)
                                    : RegisterOperand(number: encoded, size: size)
        try skipMemoryAddress(modRM)
        return done(.load(destination: destination, memorySize: memorySize, widening: widening))
    }

    /// 88, 89: ModRM.r/m is the memory, reg the source (which is not needed:
    /// the store goes nowhere).
    private mutating func memoryOperand(_ operation: DecodedInstruction.Operation) throws(InstructionDecodingError) -> DecodedInstruction {
        try skipMemoryAddress(try nextByte())
        return done(operation)
    }

    /// C6 /0 ib and C7 /0 iw/id: the immediate follows the address; with a
    /// 64-bit operand it is still 32 bits, sign-extended. Other ModRM.reg
    /// values are not MOV (C6 F8 and C7 F8 are XABORT and XBEGIN).
    private mutating func immediateStore(memorySize: UInt8, opcode: UInt8) throws(InstructionDecodingError) -> DecodedInstruction {
        let modRM = try nextByte()
        guard (modRM >> 3) & 7 == 0 else { throw .unsupportedOpcode([opcode, modRM]) }
        try skipMemoryAddress(modRM)
        try skip(min(Int(memorySize), 4))
        return done(.store(memorySize: memorySize))
    }

    /// A0-A3: no ModRM; the address itself follows the opcode, as wide as
    /// the address size (8 bytes in 64-bit code, 4 with 67h or in 32-bit
    /// code). The register is always AL or rAX.
    private mutating func memoryOffsetMove(_ opcode: UInt8) throws(InstructionDecodingError) -> DecodedInstruction {
        guard addressSize != 2 else { throw .sixteenBitAddressing }
        try skip(addressSize)
        let size = opcode & 1 == 0 ? 1 : operandSize
        if opcode <= 0xA1 {
            return done(.load(destination: RegisterOperand(number: 0, size: size), memorySize: size, widening: .none))
        }
        return done(.store(memorySize: size))
    }

    /// 0F 22 /r: ModRM.reg (with REX.R) is the control register, r/m (with
    /// REX.B) the source register. The mod bits are ignored: the operand is
    /// always a register, so no address bytes follow (Vol. 2B, "MOV—Move
    /// to/from Control Registers").
    private mutating func moveToControlRegister() throws(InstructionDecodingError) -> DecodedInstruction {
        let modRM = try nextByte()
        return done(.moveToControlRegister(number: ((modRM >> 3) & 7) | (rexR << 3),
                                           source: (modRM & 7) | (rexB << 3)))
    }

    // MARK: - ModRM, SIB, displacement

    /// Steps over the SIB byte and displacement that `modRM` announces.
    private mutating func skipMemoryAddress(_ modRM: UInt8) throws(InstructionDecodingError) {
        let mod = modRM >> 6
        let rm = modRM & 7
        guard mod != 3 else { throw .registerOperand }
        guard addressSize != 2 else { throw .sixteenBitAddressing }
        var displacement = 0
        if rm == 4 {
            let base = try nextByte() & 7
            if mod == 0 && base == 5 { displacement = 4 }
        }
        if mod == 0 && rm == 5 { displacement = 4 }
        if mod == 1 { displacement = 1 }
        if mod == 2 { displacement = 4 }
        try skip(displacement)
    }

    // MARK: - Sizes

    private var rexW: Bool { rex & 0x8 != 0 }
    private var rexR: UInt8 { (rex >> 2) & 1 }
    private var rexB: UInt8 { rex & 1 }

    private var operandSize: UInt8 {
        if rexW { return 8 }
        return operandSizeOverride ? 2 : 4
    }

    /// In bytes: 8 or 4 in 64-bit code, 4 or 2 in 32-bit code.
    private var addressSize: Int {
        if codeSize == .bits64 { return addressSizeOverride ? 4 : 8 }
        return addressSizeOverride ? 2 : 4
    }

    // MARK: - Bytes

    private mutating func nextByte() throws(InstructionDecodingError) -> UInt8 {
        try skip(1)
        return bytes[position - 1]
    }

    private mutating func skip(_ count: Int) throws(InstructionDecodingError) {
        guard position + count <= Self.maximumLength else { throw .tooLong }
        guard position + count <= bytes.count else { throw .truncated }
        position += count
    }

    private func done(_ operation: DecodedInstruction.Operation) -> DecodedInstruction {
        DecodedInstruction(operation: operation, length: UInt8(position))
    }
}
