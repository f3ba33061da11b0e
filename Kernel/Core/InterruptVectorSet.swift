/// A set of the 256 interrupt vectors, one bit each: the shape of a local
/// APIC's IRR, ISR and TMR (Intel SDM Vol. 3A, 10.8.4, "Interrupt
/// Acceptance for Fixed Interrupts"). The guest reads it as eight 32-bit
/// registers, bits 0-31 in the first (`word`).
///
/// Four 64-bit words in the value itself: setting a bit on the interrupt
/// path never allocates.
struct InterruptVectorSet: Equatable {
    private var bits0: UInt64 = 0       // vectors 0-63
    private var bits1: UInt64 = 0       // vectors 64-127
    private var bits2: UInt64 = 0       // vectors 128-191
    private var bits3: UInt64 = 0       // vectors 192-255

    var isEmpty: Bool { bits0 | bits1 | bits2 | bits3 == 0 }

    func contains(_ vector: UInt8) -> Bool {
        quarter(vector / 64) & (1 << UInt64(vector % 64)) != 0
    }

    mutating func insert(_ vector: UInt8) {
        setQuarter(vector / 64, quarter(vector / 64) | (1 << UInt64(vector % 64)))
    }

    mutating func remove(_ vector: UInt8) {
        setQuarter(vector / 64, quarter(vector / 64) & ~(1 << UInt64(vector % 64)))
    }

    /// The highest vector in the set: the one with the highest priority,
    /// since a vector's priority is its number (SDM 10.8.3).
    var highest: UInt8? {
        for index in stride(from: 3, through: 0, by: -1) {
            let bits = quarter(UInt8(index))
            if bits != 0 { return UInt8(index * 64 + 63 - bits.leadingZeroBitCount) }
        }
        return nil
    }

    /// Register `index` (0-7) of the eight 32-bit registers the set is read
    /// as: vectors 32 × index to 32 × index + 31.
    func word(_ index: Int) -> UInt32 {
        let bits = quarter(UInt8(index / 2))
        return UInt32(truncatingIfNeeded: index % 2 == 0 ? bits : bits >> 32)
    }

    private func quarter(_ index: UInt8) -> UInt64 {
        switch index {
        case 0: bits0
        case 1: bits1
        case 2: bits2
        default: bits3
        }
    }

    private mutating func setQuarter(_ index: UInt8, _ bits: UInt64) {
        switch index {
        case 0: bits0 = bits
        case 1: bits1 = bits
        case 2: bits2 = bits
        default: bits3 = bits
        }
    }
}
