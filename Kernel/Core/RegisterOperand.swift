/// The part of a general register an instruction writes: which register
/// (its encoded number, `GuestRegisters+Encoding`), how many bytes, and for
/// one byte whether it is bits 15:8 (AH, CH, DH, BH) instead of bits 7:0.
///
/// Writing follows the architecture's rules (Intel SDM Vol. 1, 3.4.1.1):
/// a 32-bit result is zero-extended into the 64-bit register, an 8- or
/// 16-bit result replaces only its own bits and keeps the rest.
struct RegisterOperand: Equatable {
    var number: UInt8
    /// 1, 2, 4 or 8.
    var size: UInt8
    var isHighByte = false

    /// The register's new 64-bit value after writing `value` into `old`.
    func written(_ value: UInt64, into old: UInt64) -> UInt64 {
        switch size {
        case 8: return value
        case 4: return value & 0xFFFF_FFFF
        case 2: return (old & ~0xFFFF) | (value & 0xFFFF)
        default:
            return isHighByte ? (old & ~0xFF00) | ((value & 0xFF) << 8) : (old & ~0xFF) | (value & 0xFF)
        }
    }

    /// The register an 8-bit operand names by `encoded` (0-15): without a
    /// REX prefix, 4-7 are AH, CH, DH, BH (the high bytes of registers
    /// 0-3); with any REX prefix they are SPL, BPL, SIL, DIL (Intel SDM
    /// Vol. 2A, 2.2.1.2, table 3-1 "Register Codes").
    static func byte(_ encoded: UInt8, hasREX: Bool) -> RegisterOperand {
        if !hasREX && encoded >= 4 && encoded <= 7 {
            return RegisterOperand(number: encoded - 4, size: 1, isHighByte: true)
        }
        return RegisterOperand(number: encoded, size: 1)
    }
}
