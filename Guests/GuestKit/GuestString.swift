/// A NUL-terminated string in guest memory (a command line, a version
/// text), seen as its bytes without copying them.
///
/// It compares bytes, never Swift Strings: String comparison and counting
/// need Unicode tables that guests do not link.
struct GuestString {
    let bytes: UnsafeBufferPointer<UInt8>

    /// The string at `address`, up to its NUL or `maximumLength` bytes.
    init(address: UInt64, maximumLength: Int = 4096) {
        let start = UnsafePointer<UInt8>(bitPattern: UInt(address))!
        var length = 0
        while length < maximumLength && start[length] != 0 { length += 1 }
        bytes = UnsafeBufferPointer(start: start, count: length)
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isEmpty: Bool { bytes.isEmpty }

    /// For printing.
    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether the bytes are exactly `literal`'s.
    func equals(_ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        for index in 0..<bytes.count where bytes[index] != literal.utf8Start[index] { return false }
        return true
    }

    /// The space-separated words.
    var words: [GuestString] {
        var result: [GuestString] = []
        var start = 0
        for index in 0...bytes.count {
            guard index == bytes.count || bytes[index] == UInt8(ascii: " ") else { continue }
            if index > start { result.append(slice(start..<index)) }
            start = index + 1
        }
        return result
    }

    /// For a command line "a=1 crash=ept": `value(ofOption: "crash")` is
    /// "ept". Nil if no word starts with "crash=".
    func value(ofOption name: StaticString) -> GuestString? {
        let nameLength = name.utf8CodeUnitCount
        for word in words where word.bytes.count > nameLength && word.bytes[nameLength] == UInt8(ascii: "=") {
            if word.slice(0..<nameLength).equals(name) {
                return word.slice(nameLength + 1..<word.bytes.count)
            }
        }
        return nil
    }

    func slice(_ range: Range<Int>) -> GuestString {
        GuestString(UnsafeBufferPointer(rebasing: bytes[range]))
    }
}
