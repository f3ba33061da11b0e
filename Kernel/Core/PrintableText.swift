/// Turns untrusted bytes into text that is safe to echo in a message.
///
/// Command-line bytes can be anything; printing them raw could emit control
/// sequences to the console or invalid UTF-8. Everything outside printable
/// ASCII becomes '?', and long input is cut with "..." so one bad option
/// cannot flood the log.
enum PrintableText {
    static func from(_ bytes: ArraySlice<UInt8>, limit: Int = 64) -> String {
        var safe: [UInt8] = []
        safe.reserveCapacity(min(bytes.count, limit) + 3)
        for byte in bytes.prefix(limit) {
            safe.append(isPrintableASCII(byte) ? byte : UInt8(ascii: "?"))
        }
        if bytes.count > limit {
            safe.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "."), UInt8(ascii: ".")])
        }
        return String(decoding: safe, as: UTF8.self)
    }

    private static func isPrintableASCII(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x7F
    }
}
