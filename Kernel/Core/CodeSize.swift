/// How wide the code is that a vCPU runs: the default operand and address
/// size of its instructions (Intel SDM Vol. 1, 3.6 and Vol. 3A, 2.2).
/// 64-bit code defaults to 32-bit operands too; only REX.W makes them 64.
enum CodeSize: Equatable {
    case bits16
    case bits32
    case bits64
}
