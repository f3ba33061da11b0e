/// Byte-level parsing for command lines and small text files (dom0's
/// manifest): lines, trimming, prefixes, decimal numbers. Bytes only, so no
/// Unicode tables get linked in.
extension GuestString {
    /// A literal's bytes (they live in the image: nothing is copied).
    init(_ literal: StaticString) {
        self.init(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// The bytes of a blob in memory, such as a boot module, as text.
    init(_ raw: UnsafeRawBufferPointer) {
        self.init(raw.bindMemory(to: UInt8.self))
    }

    /// The lines, without their "\n" (or "\r\n"); the last line may lack
    /// its newline.
    var lines: [GuestString] {
        var result: [GuestString] = []
        var start = 0
        for index in 0..<bytes.count where bytes[index] == UInt8(ascii: "\n") {
            result.append(slice(start..<index).droppingCarriageReturn)
            start = index + 1
        }
        if start < bytes.count { result.append(slice(start..<bytes.count).droppingCarriageReturn) }
        return result
    }

    /// Without spaces and tabs at either end.
    var trimmed: GuestString {
        var start = 0
        var end = bytes.count
        while start < end && Self.isBlank(bytes[start]) { start += 1 }
        while end > start && Self.isBlank(bytes[end - 1]) { end -= 1 }
        return slice(start..<end)
    }

    func hasPrefix(_ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        return bytes.count >= length && slice(0..<length).equals(literal)
    }

    /// Without the first `count` bytes.
    func dropping(first count: Int) -> GuestString {
        slice(min(count, bytes.count)..<bytes.count)
    }

    /// The bytes before the first `separator`, and those after it; nil if
    /// there is none.
    func split(at separator: UInt8) -> (GuestString, GuestString)? {
        guard let index = bytes.firstIndex(of: separator) else { return nil }
        return (slice(0..<index), slice(index + 1..<bytes.count))
    }

    /// The string as an unsigned decimal number; nil if it is empty, holds
    /// anything but digits, or does not fit 64 bits.
    var decimalValue: UInt64? {
        guard !bytes.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1 && !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    private var droppingCarriageReturn: GuestString {
        bytes.last == UInt8(ascii: "\r") ? slice(0..<bytes.count - 1) : self
    }
}
