import XCTest
@testable import KernelCore

/// The RSDP, XSDT and MADT a PVH dom0 gets: exact layouts (ACPI 6.5,
/// 5.2.5.3, 5.2.6, 5.2.8, 5.2.12), lengths and checksums.
final class ACPITablesTests: XCTestCase {
    private let base: UInt64 = 0x7_F000

    private func reader(_ tables: [UInt8], at base: UInt64) -> ACPITableReader {
        ACPITableReader { address, count in
            let offset = Int(address - base)
            return Array(tables[offset..<offset + count])
        }
    }

    func testLayoutAndSize() {
        let tables = ACPITables(base: base, processorCount: 3)
        XCTAssertEqual(tables.bytes().count, 96 + 44 + 3 * 8)
        XCTAssertEqual(tables.rsdpAddress, 0x7_F000)
        XCTAssertEqual(tables.xsdtAddress, 0x7_F030)
        XCTAssertEqual(tables.madtAddress, 0x7_F060)
        XCTAssertEqual(ACPITables(base: base, processorCount: 255).bytes().count, 96 + 44 + 255 * 8)
    }

    func testRootSystemDescriptionPointer() {
        let bytes = ACPITables(base: base, processorCount: 1).bytes()
        let rsdp = Array(bytes[0..<36])
        XCTAssertEqual(Array(rsdp[0..<8]), Array("RSD PTR ".utf8))
        XCTAssertEqual(Array(rsdp[9..<15]), Array("SWIFTX".utf8), "OEM ID")
        XCTAssertEqual(rsdp[15], 2, "revision 2: ACPI 2.0 and later, with an XSDT")
        XCTAssertEqual(Array(rsdp[16..<20]), [0, 0, 0, 0], "no RSDT")
        XCTAssertEqual(Array(rsdp[20..<24]), [36, 0, 0, 0], "length")
        XCTAssertEqual(Array(rsdp[24..<32]), [0x30, 0xF0, 0x07, 0, 0, 0, 0, 0], "XSDT at base + 48")
        XCTAssertEqual(Array(rsdp[33..<36]), [0, 0, 0], "reserved")
        XCTAssertEqual(rsdp[0..<20].reduce(0, &+), 0, "checksum of the first 20 bytes")
        XCTAssertEqual(rsdp.reduce(0, &+), 0, "extended checksum of all 36")
        XCTAssertEqual(Array(bytes[36..<48]), [UInt8](repeating: 0, count: 12), "padding to the XSDT")
    }

    func testExtendedSystemDescriptionTableListsTheMADT() {
        let tables = ACPITables(base: base, processorCount: 2)
        let read = reader(tables.bytes(), at: base)
        let xsdt = read.table(at: tables.xsdtAddress)
        XCTAssertEqual(xsdt.signature, "XSDT")
        XCTAssertEqual(xsdt.length, 44)
        XCTAssertEqual(xsdt.revision, 1)
        XCTAssertTrue(xsdt.checksumOK)
        XCTAssertEqual(read.text(tables.xsdtAddress + 10, 6), "SWIFTX")
        XCTAssertEqual(read.text(tables.xsdtAddress + 16, 8), "SWIFTXHV")
        XCTAssertEqual(read.u32(tables.xsdtAddress + 24), 1, "OEM revision")
        XCTAssertEqual(read.text(tables.xsdtAddress + 28, 4), "SWFT")
        XCTAssertEqual(read.tablesListed(byRSDPAt: tables.rsdpAddress), [0x7_F060])
    }

    func testMultipleAPICDescriptionTableHasOneLocalAPICPerVCPU() {
        let tables = ACPITables(base: base, processorCount: 3)
        let bytes = tables.bytes()
        let read = reader(bytes, at: base)
        let madt = read.table(at: tables.madtAddress)
        XCTAssertEqual(madt.signature, "APIC")
        XCTAssertEqual(madt.length, 44 + 3 * 8)
        XCTAssertEqual(madt.revision, 4)
        XCTAssertTrue(madt.checksumOK)
        XCTAssertEqual(read.u32(tables.madtAddress + 36), 0xFEE0_0000, "local interrupt controller address")
        XCTAssertEqual(read.u32(tables.madtAddress + 40), 0, "flags: no PC-AT dual 8259")
        let entries = Array(bytes[(96 + 44)...])
        XCTAssertEqual(entries, [0, 8, 0, 0, 1, 0, 0, 0,
                                 0, 8, 1, 1, 1, 0, 0, 0,
                                 0, 8, 2, 2, 1, 0, 0, 0], "type 0, length 8, UID i, APIC ID i, enabled")
        XCTAssertEqual(madt.length, bytes.count - 96, "the MADT ends the tables")
    }

    func testChecksumsChangeWithTheBase() {
        let low = ACPITables(base: 0x1000, processorCount: 1).bytes()
        let high = ACPITables(base: 0x2000, processorCount: 1).bytes()
        XCTAssertEqual(low[8], high[8], "the first RSDP checksum ends before the XSDT address")
        XCTAssertNotEqual(low[32], high[32], "the extended one covers it")
        XCTAssertNotEqual(low[48 + 9], high[48 + 9], "the XSDT checksum covers the MADT address")
        XCTAssertEqual(low[96...], high[96...], "the MADT holds no address of its own")
    }

    /// The MADT is built in dom0 too (for its domUs), without the
    /// VirtualAPIC: both take the ID from LocalAPICID, so they agree.
    func testMADTAPICIDsAreTheVirtualAPICs() {
        let tables = ACPITables(base: base, processorCount: 4)
        let bytes = tables.bytes()
        let entries = Int(tables.madtAddress - base) + ACPITableHeader.size + 8
        for index in 0..<4 {
            let apicID = bytes[entries + index * ACPITables.processorLocalAPICLength + 3]
            XCTAssertEqual(UInt32(apicID), VirtualAPIC(vcpuIndex: index).id, "vCPU \(index)")
        }
    }
}
