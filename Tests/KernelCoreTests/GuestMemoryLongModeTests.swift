import XCTest
@testable import KernelCore

/// The guest page-table walker in 4-level long mode, on page tables built
/// in a 4 MiB domain:
///
///     CR3 -> PML4 0x1000; [5] -> PDPT 0x2000; [3] -> PD 0x3000; [7] -> PT 0x4000
///     PT[8]  -> 0x24000 rw      PT[9]  -> 0x20000 rw     PT[10] not present
///     PT[11] -> 0x30000 ro      PT[12] -> 0x31000 rw     PT[13] -> 0x32000 ro
///     PD[8]  -> 2 MiB page at 0x200000 (PAT bit set)     PD[9] -> table outside RAM
///     PDPT[4] -> 1 GiB page at 0      PDPT[6] -> read-only PD 0x6000 -> PT 0x7000 -> 0x22000 rw
///     PML4[511] -> PDPT 0x5000; [510] -> PD 0x3000 (the kernel's higher half)
final class GuestMemoryLongModeTests: XCTestCase {
    private let present: UInt64 = 1, writable: UInt64 = 2, largePage: UInt64 = 0x80
    private let pagingOn: UInt64 = 1 << 31, writeProtect: UInt64 = 1 << 16
    private let pae: UInt64 = 1 << 5, longModeActive: UInt64 = (1 << 10) | (1 << 8)

    private var fake: FakePhysicalMemory!
    private var memory: DomainMemory!

    /// Linear address with the given indices (PML4 5 unless told).
    private func linear(pml4: UInt64 = 5, pdpt: UInt64 = 3, pd: UInt64 = 7, pt: UInt64 = 0, offset: UInt64 = 0) -> UInt64 {
        var address = (pml4 << 39) | (pdpt << 30) | (pd << 21) | (pt << 12) | offset
        if pml4 >= 256 { address |= 0xFFFF_0000_0000_0000 }
        return address
    }

    private func guest(writeProtected: Bool = true, cr3: UInt64 = 0x1018) -> GuestMemory {
        GuestMemory(memory: memory, state: GuestControlState(cr0: pagingOn | 1 | (writeProtected ? writeProtect : 0),
                                                             cr3: cr3, cr4: pae, efer: longModeActive))
    }

    private func assertBadAddress<T>(_ expression: @autoclosure () throws -> T, _ message: String = "",
                                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), message, file: file, line: line) {
            XCTAssertEqual($0 as? HypercallError, .badAddress, message, file: file, line: line)
        }
    }

    override func setUp() {
        fake = FakePhysicalMemory(frames: 1040)
        memory = try! DomainMemory(bytes: 4 << 20, format: .npt, frames: FrameReferences(fake))
        let m = memory!
        m.setEntry(table: 0x1000, index: 5, 0x2000 | present | writable)
        m.setEntry(table: 0x2000, index: 3, 0x3000 | present | writable)
        m.setEntry(table: 0x3000, index: 7, 0x4000 | present | writable)
        m.setEntry(table: 0x4000, index: 8, 0x24000 | present | writable)
        m.setEntry(table: 0x4000, index: 9, 0x20000 | present | writable)
        m.setEntry(table: 0x4000, index: 11, 0x30000 | present)
        m.setEntry(table: 0x4000, index: 12, 0x31000 | present | writable)
        m.setEntry(table: 0x4000, index: 13, 0x32000 | present)
        m.setEntry(table: 0x3000, index: 8, 0x20_0000 | 0x1000 | present | writable | largePage)
        m.setEntry(table: 0x3000, index: 9, 0x4000_0000 | present | writable)
        m.setEntry(table: 0x2000, index: 4, present | writable | largePage)
        m.setEntry(table: 0x2000, index: 6, 0x6000 | present)
        m.setEntry(table: 0x6000, index: 0, 0x7000 | present | writable)
        m.setEntry(table: 0x7000, index: 0, 0x22000 | present | writable)
        m.setEntry(table: 0x1000, index: 511, 0x5000 | present | writable)
        m.setEntry(table: 0x5000, index: 510, 0x3000 | present | writable)
        // Distinctive contents in every data page.
        for page: UInt64 in [0x20000, 0x22000, 0x30000, 0x31000, 0x32000, 0x20_1000] {
            XCTAssertTrue(m.write(TestElfWriter.pattern(4096, seed: Int(page >> 12)), at: page))
        }
    }

    override func tearDown() {
        memory.release()
        XCTAssertEqual(fake.allocatedFrames, 0)
        memory = nil
        fake = nil
    }

    func testFourKiBPage() throws {
        XCTAssertEqual(try guest().linearToPhysical(linear(pt: 9, offset: 0x123), forWrite: false), 0x20123)
        XCTAssertEqual(try guest().linearToPhysical(linear(pt: 12, offset: 0xFFF), forWrite: true), 0x31FFF)
    }

    func testHigherHalfAddress() throws {
        let address = linear(pml4: 511, pdpt: 510, pt: 9, offset: 0x42)
        XCTAssertEqual(address, 0xFFFF_FFFF_80E0_9042)
        XCTAssertEqual(try guest().linearToPhysical(address, forWrite: false), 0x20042)
    }

    func testTwoMiBPage() throws {
        XCTAssertEqual(try guest().linearToPhysical(linear(pd: 8, offset: 0x1_2345), forWrite: false), 0x21_2345)
        XCTAssertEqual(try guest().read(from: linear(pd: 8, offset: 0x1000), count: 4),
                       Array(TestElfWriter.pattern(4, seed: 0x201)))
    }

    func testOneGiBPage() throws {
        XCTAssertEqual(try guest().linearToPhysical(linear(pdpt: 4, pd: 0, offset: 0x2_0010), forWrite: false), 0x2_0010)
        XCTAssertEqual(try guest().linearToPhysical(linear(pdpt: 4, pd: 1, offset: 0x5), forWrite: true), 0x20_0005)
    }

    func testNonCanonicalAddress() {
        assertBadAddress(try guest().linearToPhysical(0x0000_8000_0000_0000, forWrite: false))
        assertBadAddress(try guest().linearToPhysical(0xFFFF_0000_0000_0000, forWrite: false))
        assertBadAddress(try guest().linearToPhysical(linear(pt: 9) | (1 << 60), forWrite: false))
    }

    func testNotPresentAtEachLevel() {
        assertBadAddress(try guest().linearToPhysical(linear(pml4: 6, pt: 9), forWrite: false), "PML4")
        assertBadAddress(try guest().linearToPhysical(linear(pdpt: 5, pt: 9), forWrite: false), "PDPT")
        assertBadAddress(try guest().linearToPhysical(linear(pd: 10, pt: 9), forWrite: false), "PD")
        assertBadAddress(try guest().linearToPhysical(linear(pt: 10), forWrite: false), "PT")
    }

    func testTablePointerOutsideGuestRAM() {
        assertBadAddress(try guest().linearToPhysical(linear(pd: 9), forWrite: false), "PD entry -> outside")
        assertBadAddress(try guest(cr3: 0x4000_0000).linearToPhysical(linear(pt: 9), forWrite: false), "CR3 outside")
    }

    func testLeafOutsideGuestRAM() {
        memory.setEntry(table: 0x4000, index: 20, 0x40_0000 | present | writable)
        XCTAssertEqual(try guest().linearToPhysical(linear(pt: 20), forWrite: false), 0x40_0000)
        assertBadAddress(try guest().read(from: linear(pt: 20), count: 1))
    }

    func testWriteProtection() throws {
        assertBadAddress(try guest(writeProtected: true).write([1, 2], to: linear(pt: 11)), "CR0.WP set")
        XCTAssertEqual(memory.bytes(at: 0x30000, count: 2), Array(TestElfWriter.pattern(2, seed: 0x30)))
        XCTAssertEqual(try guest(writeProtected: true).read(from: linear(pt: 11, offset: 1), count: 2),
                       Array(TestElfWriter.pattern(3, seed: 0x30)[1...]))
        try guest(writeProtected: false).write([1, 2], to: linear(pt: 11))
        XCTAssertEqual(memory.bytes(at: 0x30000, count: 2), [1, 2])
    }

    func testReadOnlyDirectoryProtectsEverythingBelowIt() throws {
        assertBadAddress(try guest(writeProtected: true).write(UInt32(7), to: linear(pdpt: 6, pd: 0)))
        try guest(writeProtected: false).write(UInt32(7), to: linear(pdpt: 6, pd: 0))
        XCTAssertEqual(memory.bytes(at: 0x22000, count: 4), [7, 0, 0, 0])
    }

    func testWriteIntoUnmappedPageCopiesNothing() {
        let before = memory.bytes(at: 0x20FF0, count: 16)
        assertBadAddress(try guest().write([UInt8](repeating: 0xEE, count: 32), to: linear(pt: 9, offset: 0xFF0)))
        XCTAssertEqual(memory.bytes(at: 0x20FF0, count: 16), before)
        assertBadAddress(try guest().read(from: linear(pt: 9, offset: 0xFF0), count: 32))
    }

    func testWriteIntoReadOnlyPageCopiesNothing() {
        let before = memory.bytes(at: 0x31FF8, count: 8)
        assertBadAddress(try guest(writeProtected: true).write([UInt8](repeating: 0xEE, count: 16),
                                                              to: linear(pt: 12, offset: 0xFF8)))
        XCTAssertEqual(memory.bytes(at: 0x31FF8, count: 8), before)
        XCTAssertEqual(memory.bytes(at: 0x32000, count: 8), Array(TestElfWriter.pattern(8, seed: 0x32)))
    }

    func testRoundTripAcrossAPageBoundary() throws {
        // PT[8] and PT[9] are neighbours in linear space, not in guest-physical.
        let bytes = TestElfWriter.pattern(100, seed: 77)
        try guest().write(bytes, to: linear(pt: 8, offset: 0xFCE))
        assertBytesEqual(try guest().read(from: linear(pt: 8, offset: 0xFCE), count: 100), bytes)
        XCTAssertEqual(memory.bytes(at: 0x24FCE, count: 50), Array(bytes[..<50]))
        XCTAssertEqual(memory.bytes(at: 0x20000, count: 50), Array(bytes[50...]))
        XCTAssertEqual(memory.bytes(at: 0x20032, count: 1), Array(TestElfWriter.pattern(0x33, seed: 0x20).suffix(1)))
    }

    func testIntegerHelpers() throws {
        try guest().write(UInt64(0x1122_3344_5566_7788), to: linear(pt: 8, offset: 0xFFC))
        XCTAssertEqual(try guest().read(UInt64.self, at: linear(pt: 8, offset: 0xFFC)), 0x1122_3344_5566_7788)
        XCTAssertEqual(try guest().read(UInt32.self, at: linear(pt: 8, offset: 0xFFC)), 0x5566_7788)
        XCTAssertEqual(memory.bytes(at: 0x24FFC, count: 4), [0x88, 0x77, 0x66, 0x55])
        XCTAssertEqual(memory.bytes(at: 0x20000, count: 4), [0x44, 0x33, 0x22, 0x11])
    }
}
