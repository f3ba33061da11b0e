/// What `InstructionDecoder` found: what the instruction does, as far as
/// emulating it needs, and its length in bytes (prefixes included), which
/// is how far RIP moves once it is done.
struct DecodedInstruction: Equatable {
    enum Operation: Equatable {
        /// register ← memory: MOV (8A, 8B, A0, A1), MOVZX and MOVSX
        /// (0F B6/B7/BE/BF). `memorySize` is the memory operand's width in
        /// bytes; `widening` says how it fills a wider destination.
        case load(destination: RegisterOperand, memorySize: UInt8, widening: Widening)
        /// memory ← register or immediate: MOV (88, 89, A2, A3, C6 /0, C7 /0).
        case store(memorySize: UInt8)
        /// MOV to CRn (0F 22 /r): the control register's number and the
        /// source register's number (`GuestRegisters+Encoding`).
        case moveToControlRegister(number: UInt8, source: UInt8)
    }

    /// How a load fills a destination wider than its memory operand
    /// (Intel SDM Vol. 2B, MOVZX and MOVSX).
    enum Widening: Equatable {
        /// MOV: the destination is as wide as the memory operand.
        case none
        case zeroExtend
        case signExtend
    }

    var operation: Operation
    var length: UInt8
}
