import XCTest
@testable import KernelCore

/// The guest page-table walker under 32-bit paging (CR0.PG = 1,
/// CR4.PAE = 0), on 4-byte entries in an 8 MiB domain. Linear address
/// (directory, table) = directory << 22 | table << 12.
///
///     CR3 -> PD 0x1000
///     PD[1] -> PT 0x2000   PT[3] -> 0x23000 rw   PT[4] -> 0x24000 ro   PT[5] absent
///                          PT[1023] -> 0x25000 rw (ends where PD[2] begins)
///     PD[2] PS -> 4 MiB page at 0x400000 rw
///     PD[3] PS, bits 31:12 = 0x401000: with CR4.PSE a 4 MiB page at 0x400000 (bit 12 is
///           then PAT), without it PT 0x401000 -> [0] 0x26000
///     PD[4] PS -> 4 MiB page at 0x400000 ro
///     PD[5] PS, bits 20:13 = 1 -> 4 MiB page at 0x1_0040_0000 (PSE-36: above 4 GiB, outside RAM)
///     PD[6] PS with reserved bit 21 set       PD[7] -> PT outside RAM      PD[8] absent
final class GuestMemoryTwoLevelPagingTests: XCTestCase {
    private let present: UInt64 = 1, writable: UInt64 = 2, largePage: UInt64 = 0x80
    private let pagingOn: UInt64 = 1 << 31, writeProtect: UInt64 = 1 << 16
    private let pse: UInt64 = 1 << 4, pae: UInt64 = 1 << 5

    private var fake: FakePhysicalMemory!
    private var memory: DomainMemory!

    private func linear(_ directory: UInt64, _ table: UInt64 = 0, offset: UInt64 = 0) -> UInt64 {
        (directory << 22) | (table << 12) | offset
    }

    /// 32-bit paging; CR3's low bits (PWT, PCD) are not part of the address.
    private func guest(pse withPSE: Bool = true, writeProtected: Bool = true, cr3: UInt64 = 0x1018) -> GuestMemory {
        let cr0 = pagingOn | 1 | (writeProtected ? writeProtect : 0)
        return GuestMemory(memory: memory, state: GuestControlState(cr0: cr0, cr3: cr3, cr4: withPSE ? pse : 0))
    }

    /// One 4-byte entry at `table + index * 4`.
    private func setEntry(table: UInt64, index: UInt64, _ entry: UInt32) {
        XCTAssertTrue(memory.write(le(entry), at: table + index * 4))
    }

    private func assertBadAddress<T>(_ expression: @autoclosure () throws -> T, _ message: String = "",
                                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), message, file: file, line: line) {
            XCTAssertEqual($0 as? HypercallError, .badAddress, message, file: file, line: line)
        }
    }

    override func setUp() {
        fake = FakePhysicalMemory(frames: 2080)
        memory = try! DomainMemory(bytes: 8 << 20, format: .ept, frames: FrameReferences(fake))
        let p = UInt32(present), w = UInt32(writable), ps = UInt32(largePage)
        setEntry(table: 0x1000, index: 1, 0x2000 | p | w)
        setEntry(table: 0x2000, index: 3, 0x23000 | p | w)
        setEntry(table: 0x2000, index: 4, 0x24000 | p)
        setEntry(table: 0x2000, index: 1023, 0x25000 | p | w)
        setEntry(table: 0x1000, index: 2, 0x40_0000 | p | w | ps)
        setEntry(table: 0x1000, index: 3, 0x40_1000 | p | w | ps)
        setEntry(table: 0x40_1000, index: 0, 0x26000 | p | w)
        setEntry(table: 0x1000, index: 4, 0x40_0000 | p | ps)
        setEntry(table: 0x1000, index: 5, 0x40_0000 | (1 << 13) | p | w | ps)
        setEntry(table: 0x1000, index: 6, 0x40_0000 | (1 << 21) | p | w | ps)
        setEntry(table: 0x1000, index: 7, 0x8000_0000 | p | w)
        for page: UInt64 in [0x23000, 0x24000, 0x25000, 0x26000, 0x40_0000, 0x41_2000] {
            XCTAssertTrue(memory.write(TestElfWriter.pattern(4096, seed: Int(page >> 12)), at: page))
        }
    }

    override func tearDown() {
        memory.release()
        XCTAssertEqual(fake.allocatedFrames, 0)
        memory = nil
        fake = nil
    }

    func testFourKiBPage() throws {
        XCTAssertEqual(try guest().linearToPhysical(linear(1, 3, offset: 0x456), forWrite: true), 0x23456)
        XCTAssertEqual(try guest().read(from: linear(1, 4, offset: 0x10), count: 3),
                       Array(TestElfWriter.pattern(0x13, seed: 0x24)[0x10...]))
        try guest().write([9, 8, 7], to: linear(1, 3, offset: 0xFFD))
        XCTAssertEqual(memory.bytes(at: 0x23FFD, count: 3), [9, 8, 7])
    }

    func testFourMiBPageWithPSE() throws {
        XCTAssertEqual(try guest().linearToPhysical(linear(2, offset: 0x1_2345), forWrite: true), 0x41_2345)
        XCTAssertEqual(try guest().read(from: linear(2, offset: 0x1_2000), count: 4),
                       Array(TestElfWriter.pattern(4, seed: 0x412)))
    }

    func testPSBitWithoutPSELocatesAPageTable() throws {
        // The same entry: a 4 MiB page under CR4.PSE, a page table without it.
        XCTAssertEqual(try guest(pse: true).linearToPhysical(linear(3, 0, offset: 0x10), forWrite: false), 0x40_0010)
        XCTAssertEqual(try guest(pse: false).linearToPhysical(linear(3, 0, offset: 0x10), forWrite: false), 0x26010)
        XCTAssertEqual(try guest(pse: false).read(from: linear(3, 0, offset: 0x10), count: 2),
                       Array(TestElfWriter.pattern(0x12, seed: 0x26)[0x10...]))
    }

    func testPSE36TakesAddressBits39To32FromBits20To13() throws {
        XCTAssertEqual(try guest().linearToPhysical(linear(5, offset: 0x42), forWrite: false), 0x1_0040_0042)
        assertBadAddress(try guest().read(from: linear(5, offset: 0x42), count: 1), "above 4 GiB, outside the domain's RAM")
    }

    func testReservedBit21OfAFourMiBEntry() {
        assertBadAddress(try guest().linearToPhysical(linear(6), forWrite: false))
    }

    func testNotPresent() {
        assertBadAddress(try guest().linearToPhysical(linear(8), forWrite: false), "PDE")
        assertBadAddress(try guest().linearToPhysical(linear(1, 5), forWrite: false), "PTE")
        assertBadAddress(try guest().linearToPhysical(linear(7), forWrite: false), "page table outside RAM")
        assertBadAddress(try guest(cr3: 0x80_0000).linearToPhysical(linear(1, 3), forWrite: false), "directory outside RAM")
    }

    func testWriteToReadOnlyPages() throws {
        assertBadAddress(try guest().write([1], to: linear(1, 4)), "4 KiB, CR0.WP")
        assertBadAddress(try guest().write([1], to: linear(4, offset: 0x5)), "4 MiB, CR0.WP")
        XCTAssertEqual(memory.bytes(at: 0x24000, count: 1), Array(TestElfWriter.pattern(1, seed: 0x24)))
        XCTAssertEqual(try guest().read(from: linear(4, offset: 0x1_2000), count: 1), Array(TestElfWriter.pattern(1, seed: 0x412)))
        try guest(writeProtected: false).write([1], to: linear(1, 4))
        try guest(writeProtected: false).write([2], to: linear(4, offset: 0x5))
        XCTAssertEqual(memory.bytes(at: 0x24000, count: 1), [1])
        XCTAssertEqual(memory.bytes(at: 0x40_0005, count: 1), [2])
    }

    func testWriteIntoReadOnlyPageCopiesNothing() {
        let before = memory.bytes(at: 0x23FF8, count: 8)
        assertBadAddress(try guest().write([UInt8](repeating: 0xEE, count: 16), to: linear(1, 3, offset: 0xFF8)))
        XCTAssertEqual(memory.bytes(at: 0x23FF8, count: 8), before)
    }

    func testBufferFromAFourKiBIntoAFourMiBPage() throws {
        // PT[1023] of PD[1] ends where PD[2]'s 4 MiB page begins in linear space.
        let start = linear(1, 1023, offset: 0xFF0)
        XCTAssertEqual(start + 0x10, linear(2))
        let bytes = TestElfWriter.pattern(32, seed: 99)
        try guest().write(bytes, to: start)
        XCTAssertEqual(memory.bytes(at: 0x25FF0, count: 16), Array(bytes[..<16]))
        XCTAssertEqual(memory.bytes(at: 0x40_0000, count: 16), Array(bytes[16...]))
        XCTAssertEqual(try guest().read(from: start, count: 32), bytes)
    }

    func testAddressAbove4GiB() {
        // The low 32 bits map (PD[1], PT[3]), but a 32-bit guest cannot mean more.
        assertBadAddress(try guest().linearToPhysical(0x1_0000_0000 | linear(1, 3), forWrite: false))
        assertBadAddress(try guest().read(from: 0xFFFF_FFFF, count: 2))
    }

    func testPAEStillSelectsPAE() {
        // CR4.PAE on top of PSE: the PAE walk reads CR3 as a PDPT, which is empty here.
        let state = GuestControlState(cr0: pagingOn | 1, cr3: 0x1000, cr4: pse | pae)
        assertBadAddress(try GuestMemory(memory: memory, state: state).linearToPhysical(linear(1, 3), forWrite: false))
    }
}
