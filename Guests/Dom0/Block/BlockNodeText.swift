/// Reading the numbers frontends write in XenStore nodes ("%u" text).
enum BlockNodeText {
    /// The value of plain decimal digits that fit in 32 bits; nil for
    /// anything else (absent, empty, a sign, spaces, too big).
    static func decimal(_ text: [UInt8]?) -> UInt32? {
        guard let text, !text.isEmpty, text.count <= 10 else { return nil }
        var value: UInt64 = 0
        for byte in text {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        return value <= UInt64(UInt32.max) ? UInt32(value) : nil
    }
}
