// The one `hex` of the tree: xtool compiles this file into the guests too
// (BuildFlags.guestSharedSwiftSources), so the hypervisor and every guest
// print numbers the same way.

/// `value` in hexadecimal with a "0x" prefix, zero-padded to `digits`
/// digits: 16 by default, the full width of a register or an address, as
/// register dumps and memory maps want it; `hex(0x1000, digits: 8)` is
/// "0x00001000", and `digits: 1` gives the shortest form ("0x1000").
/// Digits beyond the requested width are kept, never cut.
func hex(_ value: UInt64, digits: Int = 16) -> String {
    // Count UTF-8 bytes, not Characters: the digits are ASCII, and counting
    // Characters would pull the Unicode grapheme tables into the hypervisor.
    let text = String(value, radix: 16)
    let padding = max(0, digits - text.utf8.count)
    return "0x" + String(repeating: "0", count: padding) + text
}

/// A byte count in the largest unit that divides it evenly enough to read:
/// "512 KiB", "127 MiB", "4095 bytes".
func byteCount(_ bytes: UInt64) -> String {
    if bytes >= 1 << 30 && bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
    if bytes >= 1 << 20 { return "\(bytes >> 20) MiB" }
    if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
    return "\(bytes) bytes"
}
