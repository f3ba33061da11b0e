/// Sizes written on the command line: a decimal number, optionally followed
/// by one binary-unit suffix, `K`, `M` or `G` (either case): `65536`, `64M`,
/// `1G`.
enum MemorySizeText {
    /// The size in bytes, or nil for anything malformed or too large for
    /// 64 bits.
    static func parse(_ text: ArraySlice<UInt8>) -> UInt64? {
        var digits = text
        var multiplier: UInt64 = 1
        if let last = text.last, let unit = unitMultiplier(last) {
            multiplier = unit
            digits = text.dropLast()
        }
        guard !digits.isEmpty, let number = parseDecimal(digits) else { return nil }
        let (bytes, overflowed) = number.multipliedReportingOverflow(by: multiplier)
        return overflowed ? nil : bytes
    }

    private static func unitMultiplier(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "K"), UInt8(ascii: "k"): 1 << 10
        case UInt8(ascii: "M"), UInt8(ascii: "m"): 1 << 20
        case UInt8(ascii: "G"), UInt8(ascii: "g"): 1 << 30
        default: nil
        }
    }

    private static func parseDecimal(_ digits: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflowedMultiply) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowedAdd) = shifted.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            if overflowedMultiply || overflowedAdd { return nil }
            value = sum
        }
        return value
    }
}
