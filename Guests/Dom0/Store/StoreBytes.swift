/// Byte-string helpers. The store keeps paths, values and tokens as bytes,
/// as they travel: Swift String comparison and hashing need Unicode tables
/// that Embedded guests do not link.
public enum StoreBytes {
    /// The bytes of a literal.
    public static func of(_ text: StaticString) -> [UInt8] {
        Array(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A decimal number, as the protocol writes domain ids, ports and
    /// transaction ids.
    public static func decimal<T: FixedWidthInteger & UnsignedInteger>(_ value: T) -> [UInt8] {
        if value == 0 { return [UInt8(ascii: "0")] }
        var digits: [UInt8] = []
        var rest = value
        while rest > 0 {
            digits.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10))
            rest /= 10
        }
        return digits.reversed()
    }

    /// A decimal number of at most `T`'s range: digits only, no sign, no
    /// spaces, nothing empty. Nil otherwise (the caller says EINVAL).
    public static func parseDecimal<T: FixedWidthInteger & UnsignedInteger>(_ bytes: ArraySlice<UInt8>, as: T.Type = T.self) -> T? {
        guard !bytes.isEmpty else { return nil }
        var value: T = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(T(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// A payload cut at its NULs: "a\0b\0" is ["a", "b"]. Text after the
    /// last NUL counts as one more part, so a client that leaves off the
    /// final NUL is understood too.
    public static func split(_ payload: [UInt8]) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var start = payload.startIndex
        for index in payload.indices where payload[index] == 0 {
            parts.append(payload[start..<index])
            start = index + 1
        }
        if start < payload.endIndex { parts.append(payload[start...]) }
        return parts
    }

    /// `a` sorts before `b` byte by byte (children are kept in this order).
    static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.lexicographicallyPrecedes(b)
    }
}
