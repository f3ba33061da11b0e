import XCTest
@testable import KernelCore

final class NestedPageTableTests: XCTestCase {
    /// A guest-physical address with a different index at every level:
    /// PML4 1, PDPT 2, PD 3, PT 4.
    private let guestAddress: UInt64 = (1 << 39) | (2 << 30) | (3 << 21) | (4 << 12)

    private func table(_ format: PageTableFormat, _ fake: FakePhysicalMemory) throws -> NestedPageTable {
        try XCTUnwrap(NestedPageTable(format: format, frames: fake))
    }

    /// The physical address of the entry the walk uses at `level` (3 = PML4).
    private func entryAddress(_ table: NestedPageTable, _ fake: FakePhysicalMemory, _ address: UInt64,
                              level: Int) -> UInt64 {
        var current = table.root
        for walked in stride(from: 3, to: level, by: -1) {
            current = fake.load64(current + NestedPageTable.index(address, level: walked) * 8) & PageTableFormat.addressMask
        }
        return current + NestedPageTable.index(address, level: level) * 8
    }

    func testIndexPerLevel() {
        XCTAssertEqual(NestedPageTable.index(guestAddress | 0xABC, level: 3), 1)
        XCTAssertEqual(NestedPageTable.index(guestAddress | 0xABC, level: 2), 2)
        XCTAssertEqual(NestedPageTable.index(guestAddress | 0xABC, level: 1), 3)
        XCTAssertEqual(NestedPageTable.index(guestAddress | 0xABC, level: 0), 4)
        XCTAssertEqual(NestedPageTable.index(0xFFFF_FFFF_FFFF, level: 3), 0x1FF)
    }

    func testMapTranslateUnmapForBothFormats() throws {
        for format in [PageTableFormat.ept, .npt] {
            let fake = FakePhysicalMemory(frames: 16)
            let nested = try table(format, fake)
            let host = fake.base + 0xF000
            try nested.map(guestPhysical: guestAddress, hostPhysical: host)
            XCTAssertEqual(nested.translate(guestAddress), host, "\(format)")
            XCTAssertEqual(nested.translate(guestAddress + 0x7FF), host + 0x7FF, "\(format)")
            XCTAssertNil(nested.translate(guestAddress + 0x1000), "\(format)")
            XCTAssertNil(nested.translate(guestAddress - 0x1000), "\(format)")
            XCTAssertNil(nested.translate(guestAddress ^ (1 << 39)), "\(format)")
            XCTAssertEqual(nested.tableFrameCount, 4, "\(format)")
            XCTAssertEqual(nested.unmap(guestPhysical: guestAddress), host, "\(format)")
            XCTAssertNil(nested.translate(guestAddress), "\(format)")
            XCTAssertNil(nested.unmap(guestPhysical: guestAddress), "\(format)")
        }
    }

    /// The way back up: an unmap frees every table it leaves empty, lowest
    /// first, and stops at the first that still holds an entry; the root stays.
    func testUnmapFreesTheTablesItLeavesEmptyButNeverTheRoot() throws {
        let fake = FakePhysicalMemory(frames: 16)
        let nested = try table(.npt, fake)
        try nested.map(guestPhysical: 0, hostPhysical: fake.base + 0xF000)
        try nested.map(guestPhysical: 1 << 30, hostPhysical: fake.base + 0xE000)
        XCTAssertEqual(nested.tableFrameCount, 6, "root, one PDPT, two directories, two page tables")
        XCTAssertEqual(nested.unmap(guestPhysical: 1 << 30), fake.base + 0xE000)
        XCTAssertEqual(nested.tableFrameCount, 4, "its directory and page table went; the shared PDPT stays")
        XCTAssertEqual(fake.allocatedFrames, 4)
        XCTAssertEqual(nested.translate(0), fake.base + 0xF000)
        XCTAssertEqual(nested.unmap(guestPhysical: 0), fake.base + 0xF000)
        XCTAssertEqual(nested.tableFrameCount, 1)
        XCTAssertEqual(fake.allocatedFrames, 1, "only the root is left")
        XCTAssertEqual(fake.badFrees, [])
    }

    func testNeighbouringPagesShareTables() throws {
        let fake = FakePhysicalMemory(frames: 16)
        let nested = try table(.ept, fake)
        for page in 0..<8 as Range<UInt64> {
            try nested.map(guestPhysical: page * 4096, hostPhysical: fake.base + (8 + page) * 4096)
        }
        XCTAssertEqual(nested.tableFrameCount, 4)
        XCTAssertEqual(fake.allocationCount, 4)
        XCTAssertEqual(nested.translate(5 * 4096 + 12), fake.base + 13 * 4096 + 12)
        // A new PDPT entry needs a new directory and page table.
        try nested.map(guestPhysical: 1 << 30, hostPhysical: fake.base)
        XCTAssertEqual(nested.tableFrameCount, 6)
    }

    func testEPTEntryBits() throws {
        let fake = FakePhysicalMemory(frames: 16)
        let nested = try table(.ept, fake)
        let host = fake.base + 0xE000
        try nested.map(guestPhysical: guestAddress, hostPhysical: host, writable: false, executable: false)
        try nested.map(guestPhysical: guestAddress + 4096, hostPhysical: host + 4096)
        for level in 1...3 {
            let entry = fake.load64(entryAddress(nested, fake, guestAddress, level: level))
            XCTAssertEqual(entry & 0xFFF, 0b111, "table entry at level \(level): R/W/X, no memory type")
            XCTAssertTrue(fake.isAllocated(entry & PageTableFormat.addressMask))
        }
        let readOnly = fake.load64(entryAddress(nested, fake, guestAddress, level: 0))
        XCTAssertEqual(readOnly, host | 0b001 | (6 << 3))
        let full = fake.load64(entryAddress(nested, fake, guestAddress + 4096, level: 0))
        XCTAssertEqual(full, (host + 4096) | 0b111 | (6 << 3))
    }

    func testNPTEntryBits() throws {
        let fake = FakePhysicalMemory(frames: 16)
        let nested = try table(.npt, fake)
        let host = fake.base + 0xE000
        try nested.map(guestPhysical: guestAddress, hostPhysical: host, writable: false, executable: false)
        try nested.map(guestPhysical: guestAddress + 4096, hostPhysical: host + 4096)
        for level in 1...3 {
            let entry = fake.load64(entryAddress(nested, fake, guestAddress, level: level))
            XCTAssertEqual(entry & ~PageTableFormat.addressMask, 0b111, "present, writable, user at level \(level)")
        }
        let readOnly = fake.load64(entryAddress(nested, fake, guestAddress, level: 0))
        XCTAssertEqual(readOnly, host | 0b101 | (1 << 63))
        let full = fake.load64(entryAddress(nested, fake, guestAddress + 4096, level: 0))
        XCTAssertEqual(full, (host + 4096) | 0b111)
        XCTAssertEqual(nested.translate(guestAddress + 8), host + 8, "NX does not leak into the address")
    }

    func testFormatPresenceRules() {
        XCTAssertTrue(PageTableFormat.ept.isPresent(0b100), "EPT: execute-only is present")
        XCTAssertFalse(PageTableFormat.ept.isPresent(0b1000))
        XCTAssertFalse(PageTableFormat.npt.isPresent(0b110))
        XCTAssertTrue(PageTableFormat.npt.isPresent(1))
        XCTAssertEqual(PageTableFormat.npt.address(of: (1 << 63) | 0x1234_5678_9000 | 0x7), 0x1234_5678_9000)
    }

    func testUnalignedAndOutOfRange() throws {
        let fake = FakePhysicalMemory(frames: 8)
        let nested = try table(.npt, fake)
        XCTAssertThrowsError(try nested.map(guestPhysical: 0x1001, hostPhysical: fake.base)) {
            XCTAssertEqual($0 as? NestedPageTable.MappingError, .notAligned)
        }
        XCTAssertThrowsError(try nested.map(guestPhysical: 0x1000, hostPhysical: fake.base + 8)) {
            XCTAssertEqual($0 as? NestedPageTable.MappingError, .notAligned)
        }
        XCTAssertThrowsError(try nested.map(guestPhysical: 1 << 48, hostPhysical: fake.base)) {
            XCTAssertEqual($0 as? NestedPageTable.MappingError, .addressOutOfRange)
        }
        XCTAssertNil(nested.translate(1 << 48))
        XCTAssertEqual(fake.allocationCount, 1, "refused mappings allocate no tables")
    }

    func testOutOfMemory() throws {
        let fake = FakePhysicalMemory(frames: 8)
        fake.remainingAllocations = 3
        let nested = try table(.ept, fake)
        XCTAssertThrowsError(try nested.map(guestPhysical: 0, hostPhysical: fake.base + 0x7000)) {
            XCTAssertEqual($0 as? NestedPageTable.MappingError, .outOfMemory)
        }
        XCTAssertNil(nested.translate(0))
        XCTAssertEqual(nested.tableFrameCount, 1, "the tables made for the failed map went again")
        XCTAssertEqual(fake.allocatedFrames, 1)
        nested.destroy()
        XCTAssertEqual(fake.allocatedFrames, 0)
        XCTAssertEqual(fake.badFrees, [])

        let empty = FakePhysicalMemory(frames: 1)
        empty.remainingAllocations = 0
        XCTAssertNil(NestedPageTable(format: .npt, frames: empty))
    }

    func testDestroyReturnsEveryTableFrame() throws {
        let fake = FakePhysicalMemory(frames: 32)
        let nested = try table(.npt, fake)
        let addresses: [UInt64] = [0, 0x20_0000, 0x4000_0000, 1 << 39, guestAddress]
        for address in addresses { try nested.map(guestPhysical: address, hostPhysical: fake.base) }
        // root + (PDPT, PD, PT) + (PT) + (PD, PT) + (PDPT, PD, PT) + (PD, PT)
        XCTAssertEqual(nested.tableFrameCount, 12)
        XCTAssertEqual(fake.allocatedFrames, 12)
        nested.destroy()
        XCTAssertEqual(nested.tableFrameCount, 0)
        XCTAssertEqual(fake.freeCount, 12)
        XCTAssertEqual(fake.allocatedFrames, 0)
        XCTAssertEqual(fake.badFrees, [])
    }

    func testTableLimitIsCheckedBeforeAnythingIsMade() throws {
        let fake = FakePhysicalMemory(frames: 16)
        let nested = try table(.npt, fake)
        XCTAssertThrowsError(try nested.map(guestPhysical: guestAddress, hostPhysical: fake.base, tableFrameLimit: 3)) {
            XCTAssertEqual($0 as? NestedPageTable.MappingError, .tableLimitReached)
        }
        XCTAssertEqual(nested.tableFrameCount, 1)
        XCTAssertEqual(fake.allocatedFrames, 1)
        try nested.map(guestPhysical: guestAddress, hostPhysical: fake.base, tableFrameLimit: 4)
        // A neighbour needs no new table: the limit does not stop it.
        try nested.map(guestPhysical: guestAddress + 4096, hostPhysical: fake.base, tableFrameLimit: 4)
        XCTAssertEqual(nested.missingTables(guestAddress + (1 << 21)), 1)
        XCTAssertEqual(nested.missingTables(0), 3)
    }

    func testForEachMappingVisitsEveryLeafInOrder() throws {
        let fake = FakePhysicalMemory(frames: 32)
        let nested = try table(.ept, fake)
        let addresses: [UInt64] = [guestAddress, 0x20_0000, 0, 0x4000_0000 + 0x3000, 1 << 39]
        for (index, address) in addresses.enumerated() {
            try nested.map(guestPhysical: address, hostPhysical: fake.base + UInt64(index) * 4096)
        }
        var seen: [(UInt64, UInt64)] = []
        nested.forEachMapping { seen.append(($0, $1)) }
        XCTAssertEqual(seen.map(\.0), addresses.sorted())
        for (guest, host) in seen { XCTAssertEqual(nested.translate(guest), host) }
    }

    func testNothingIsMappedOnceDestroyed() throws {
        let fake = FakePhysicalMemory(frames: 16)
        let nested = try table(.npt, fake)
        try nested.map(guestPhysical: 0x1000, hostPhysical: fake.base + 0xF000)
        nested.destroy()
        XCTAssertNil(nested.translate(0x1000))
        XCTAssertThrowsError(try nested.map(guestPhysical: 0x1000, hostPhysical: fake.base + 0xF000))
        nested.destroy()
        XCTAssertEqual(fake.allocatedFrames, 0)
        XCTAssertEqual(fake.badFrees, [])
    }
}
