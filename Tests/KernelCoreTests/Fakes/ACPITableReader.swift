import XCTest
@testable import KernelCore

/// Reads ACPI tables back the way an OS does, from bytes at guest-physical
/// addresses: little-endian fields, and an 8-bit sum over each table that
/// must be 0 (the test's own reading of the ACPI layouts, independent of
/// ACPITables' writer).
struct ACPITableReader {
    /// The bytes at a guest-physical address.
    let bytes: (_ address: UInt64, _ count: Int) -> [UInt8]

    func u8(_ address: UInt64) -> UInt8 { bytes(address, 1)[0] }

    func u32(_ address: UInt64) -> UInt32 {
        bytes(address, 4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    func u64(_ address: UInt64) -> UInt64 {
        bytes(address, 8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    func text(_ address: UInt64, _ count: Int) -> String {
        String(decoding: bytes(address, count), as: UTF8.self)
    }

    func sum(_ address: UInt64, _ count: Int) -> UInt8 { bytes(address, count).reduce(0, &+) }

    /// A table with a System Description Table Header: its signature, its
    /// length, and whether all its bytes sum to 0.
    func table(at address: UInt64) -> (signature: String, length: Int, revision: UInt8, checksumOK: Bool) {
        let length = Int(u32(address + 4))
        return (text(address, 4), length, u8(address + 8), sum(address, length) == 0)
    }

    /// Follows RSDP -> XSDT -> tables, checking the RSDP's two checksums and
    /// the XSDT's; returns the addresses the XSDT lists.
    func tablesListed(byRSDPAt rsdp: UInt64, file: StaticString = #filePath, line: UInt = #line) -> [UInt64] {
        XCTAssertEqual(text(rsdp, 8), "RSD PTR ", file: file, line: line)
        XCTAssertEqual(sum(rsdp, 20), 0, "RSDP checksum (bytes 0-19)", file: file, line: line)
        XCTAssertEqual(u8(rsdp + 15), 2, "RSDP revision", file: file, line: line)
        XCTAssertEqual(u32(rsdp + 20), 36, "RSDP length", file: file, line: line)
        XCTAssertEqual(sum(rsdp, 36), 0, "RSDP extended checksum", file: file, line: line)
        let xsdtAddress = u64(rsdp + 24)
        let xsdt = table(at: xsdtAddress)
        XCTAssertEqual(xsdt.signature, "XSDT", file: file, line: line)
        XCTAssertTrue(xsdt.checksumOK, "XSDT checksum", file: file, line: line)
        XCTAssertEqual((xsdt.length - 36) % 8, 0, "XSDT entries are 8 bytes", file: file, line: line)
        return (0..<max(0, (xsdt.length - 36) / 8)).map { u64(xsdtAddress + 36 + UInt64($0 * 8)) }
    }
}
