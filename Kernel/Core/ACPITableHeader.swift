/// The header every ACPI system description table but the RSDP starts with
/// (ACPI 6.5, 5.2.6, "System Description Table Header"), and the byte
/// arithmetic ACPI tables share: little-endian fields and 8-bit checksums.
///
///     offset  size  field
///          0     4  Signature ("XSDT", "APIC", ...)
///          4     4  Length of the whole table, header included
///          8     1  Revision of the table's format
///          9     1  Checksum: all bytes of the table sum to 0 (mod 256)
///         10     6  OEM ID
///         16     8  OEM Table ID
///         24     4  OEM Revision
///         28     4  Creator ID
///         32     4  Creator Revision
struct ACPITableHeader {
    static let size = 36
    static let lengthOffset = 4
    static let checksumOffset = 9

    /// Who made the tables (6, 8 and 4 bytes; shorter IDs would be padded
    /// with spaces, as firmware does). The RSDP carries the OEM ID too.
    static let oemID = "SWIFTX"
    static let oemTableID = "SWIFTXHV"
    static let creatorID = "SWFT"

    var signature: String
    var revision: UInt8

    /// Appends the header of a table `length` bytes long, with checksum 0:
    /// `ACPITableHeader.sealChecksum` sets it once the table is complete.
    func append(length: Int, to bytes: inout [UInt8]) {
        bytes.appendText(signature, width: 4)
        bytes.appendLittleEndian(UInt32(length))
        bytes.append(revision)
        bytes.append(0)                                     // checksum, sealed later
        bytes.appendText(Self.oemID, width: 6)
        bytes.appendText(Self.oemTableID, width: 8)
        bytes.appendLittleEndian(UInt32(1))                 // OEM revision
        bytes.appendText(Self.creatorID, width: 4)
        bytes.appendLittleEndian(UInt32(1))                 // creator revision
    }

    /// The 8-bit sum of `bytes`: 0 for a table with a correct checksum.
    static func sum(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        bytes.reduce(0) { $0 &+ $1 }
    }

    /// Sets the byte at `checksumAt` so that `range` of `bytes` sums to 0.
    static func sealChecksum(of range: Range<Int>, at checksumAt: Int, in bytes: inout [UInt8]) {
        bytes[checksumAt] = 0
        bytes[checksumAt] = 0 &- sum(bytes[range])
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func appendLittleEndian(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func appendLittleEndian(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// `text`'s bytes, cut or padded with spaces to `width` (ACPI's IDs).
    mutating func appendText(_ text: String, width: Int) {
        let bytes = Array(text.utf8.prefix(width))
        append(contentsOf: bytes)
        append(contentsOf: [UInt8](repeating: 0x20, count: width - bytes.count))
    }
}
