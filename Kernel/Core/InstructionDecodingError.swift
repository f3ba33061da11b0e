/// Why `InstructionDecoder` gave up: the instruction is not in its subset,
/// or not an instruction the CPU could have run.
enum InstructionDecodingError: Error, Equatable {
    /// The bytes ran out before the instruction did (the rest could not be
    /// fetched).
    case truncated
    /// More than 15 bytes: the CPU raises #GP for that (Intel SDM Vol. 2A,
    /// 2.3.11).
    case tooLong
    /// An opcode outside the subset; the opcode bytes (0F included).
    case unsupportedOpcode([UInt8])
    /// A register where the instruction had to name memory (ModRM mod = 3).
    case registerOperand
    /// 16-bit code, or 16-bit addressing (67h in 32-bit code).
    case sixteenBitAddressing
    /// LOCK (F0h): #UD with a MOV, and CR8 with MOV CR0 on AMD.
    case lockPrefix

    var description: String {
        switch self {
        case .truncated: "an instruction cut short"
        case .tooLong: "an instruction longer than 15 bytes"
        case .unsupportedOpcode(let bytes): "opcode " + bytes.map { hex(UInt64($0), digits: 2) }.joined(separator: " ")
        case .registerOperand: "a register operand where memory was expected"
        case .sixteenBitAddressing: "16-bit code or addressing"
        case .lockPrefix: "a LOCK prefix"
        }
    }
}
