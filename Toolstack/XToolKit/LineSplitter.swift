import Foundation

/// Cuts a byte stream into text lines as it arrives. Serial consoles end lines
/// with "\r\n"; the "\r" is dropped so transcripts compare cleanly.
public struct LineSplitter: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// Adds bytes; returns the lines they completed.
    public mutating func feed(_ bytes: Data) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                lines.append(Self.text(pending))
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
            }
        }
        return lines
    }

    /// The unfinished last line, if any (call once the stream has ended).
    public mutating func finish() -> String? {
        guard !pending.isEmpty else { return nil }
        defer { pending.removeAll() }
        return Self.text(pending)
    }

    private static func text(_ bytes: [UInt8]) -> String {
        var bytes = bytes
        while bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
