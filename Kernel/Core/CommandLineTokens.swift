/// Splits a command line into whitespace-separated tokens, yielding slices
/// of the original bytes (no copies).
///
/// A NUL byte ends the line: the multiboot command line is a C string, and a
/// copy that kept its terminator must not turn it into an option.
struct CommandLineTokens: Sequence, IteratorProtocol {
    private let bytes: [UInt8]
    private let end: Int
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        end = bytes.firstIndex(of: 0) ?? bytes.count
    }

    mutating func next() -> ArraySlice<UInt8>? {
        while position < end, CommandLineTokens.isSeparator(bytes[position]) {
            position += 1
        }
        guard position < end else { return nil }
        let start = position
        while position < end, !CommandLineTokens.isSeparator(bytes[position]) {
            position += 1
        }
        return bytes[start..<position]
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
