import XCTest
@testable import KernelCore

/// The guest page-table walker with paging off and under PAE, and the
/// limits every access has, in a 4 MiB domain. (32-bit paging:
/// GuestMemoryTwoLevelPagingTests.)
///
///     PAE: CR3 -> PDPT at 0x8020 (32-byte aligned); PDPTE[2] -> PD 0x9000
///          PD[5] -> PT 0xA000; PT[3] -> 0x23000 rw; PT[4] -> 0x24000 ro
///          PD[6] -> 2 MiB page at 0x200000;  PD[7] -> table outside RAM
final class GuestMemoryModesTests: XCTestCase {
    private let present: UInt64 = 1, writable: UInt64 = 2, largePage: UInt64 = 0x80
    private let pagingOn: UInt64 = 1 << 31, writeProtect: UInt64 = 1 << 16, pae: UInt64 = 1 << 5

    private var fake: FakePhysicalMemory!
    private var memory: DomainMemory!

    private func guest(cr0: UInt64, cr3: UInt64 = 0, cr4: UInt64 = 0) -> GuestMemory {
        GuestMemory(memory: memory, state: GuestControlState(cr0: cr0 | 1, cr3: cr3, cr4: cr4))
    }

    private var pagingOff: GuestMemory { guest(cr0: 0) }
    private var paePaging: GuestMemory { guest(cr0: pagingOn | writeProtect, cr3: 0x8020, cr4: pae) }

    private func assertError<T>(_ expected: HypercallError, _ expression: @autoclosure () throws -> T,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) {
            XCTAssertEqual($0 as? HypercallError, expected, file: file, line: line)
        }
    }

    override func setUp() {
        fake = FakePhysicalMemory(frames: 1040)
        memory = try! DomainMemory(bytes: 4 << 20, format: .ept, frames: FrameReferences(fake))
        let m = memory!
        m.setEntry(table: 0x8020, index: 2, 0x9000 | present)
        m.setEntry(table: 0x9000, index: 5, 0xA000 | present | writable)
        m.setEntry(table: 0xA000, index: 3, 0x23000 | present | writable)
        m.setEntry(table: 0xA000, index: 4, 0x24000 | present)
        m.setEntry(table: 0x9000, index: 6, 0x20_0000 | present | writable | largePage)
        m.setEntry(table: 0x9000, index: 7, 0x1_0000_0000 | present | writable)
        for page: UInt64 in [0x23000, 0x24000, 0x20_0000, 0x3F_F000] {
            XCTAssertTrue(m.write(TestElfWriter.pattern(4096, seed: Int(page >> 12)), at: page))
        }
    }

    override func tearDown() {
        memory.release()
        XCTAssertEqual(fake.allocatedFrames, 0)
        memory = nil
        fake = nil
    }

    // MARK: - Paging off

    func testPagingOffIsIdentity() throws {
        XCTAssertEqual(try pagingOff.linearToPhysical(0x23456, forWrite: true), 0x23456)
        XCTAssertEqual(try pagingOff.read(from: 0x3F_FFFF, count: 1), [UInt8((0xFFF + 0x3FF) % 251)])
        assertError(.badAddress, try pagingOff.read(from: 0x40_0000, count: 1))
        assertError(.badAddress, try pagingOff.read(from: 0x3F_FFFF, count: 2))
    }

    func testPagingOffHasA32BitLimit() {
        assertError(.badAddress, try pagingOff.linearToPhysical(0x1_0000_0000, forWrite: false))
        XCTAssertEqual(try pagingOff.linearToPhysical(0xFFFF_FFFF, forWrite: false), 0xFFFF_FFFF)
    }

    // MARK: - PAE

    func testPAEFourKiBPage() throws {
        let address: UInt64 = (2 << 30) | (5 << 21) | (3 << 12) | 0x456
        XCTAssertEqual(try paePaging.linearToPhysical(address, forWrite: true), 0x23456)
        try paePaging.write([9, 8, 7], to: address)
        XCTAssertEqual(memory.bytes(at: 0x23456, count: 3), [9, 8, 7])
    }

    func testPAETwoMiBPage() throws {
        let address: UInt64 = (2 << 30) | (6 << 21) | 0x1789
        XCTAssertEqual(try paePaging.linearToPhysical(address, forWrite: false), 0x20_1789)
        XCTAssertEqual(try paePaging.read(from: (2 << 30) | (6 << 21), count: 2), Array(TestElfWriter.pattern(2, seed: 0x200)))
    }

    func testPAEFailures() {
        assertError(.badAddress, try paePaging.linearToPhysical((1 << 30) | (5 << 21), forWrite: false))   // PDPTE absent
        assertError(.badAddress, try paePaging.linearToPhysical((2 << 30) | (8 << 21), forWrite: false))   // PDE absent
        assertError(.badAddress, try paePaging.linearToPhysical((2 << 30) | (5 << 21) | (5 << 12), forWrite: false))
        assertError(.badAddress, try paePaging.linearToPhysical((2 << 30) | (7 << 21), forWrite: false))   // table outside RAM
        assertError(.badAddress, try paePaging.linearToPhysical(0x1_8000_0000 | (5 << 21), forWrite: false))   // > 4 GiB
        assertError(.badAddress, try guest(cr0: pagingOn, cr3: 0x7FFF_FFE0, cr4: pae).linearToPhysical(0, forWrite: false))
    }

    func testPAEWriteProtection() throws {
        let readOnly: UInt64 = (2 << 30) | (5 << 21) | (4 << 12)
        assertError(.badAddress, try paePaging.write([1], to: readOnly))
        XCTAssertEqual(memory.bytes(at: 0x24000, count: 1), Array(TestElfWriter.pattern(1, seed: 0x24)))
        try guest(cr0: pagingOn, cr3: 0x8020, cr4: pae).write([1], to: readOnly)
        XCTAssertEqual(memory.bytes(at: 0x24000, count: 1), [1])
    }

    // MARK: - Limits

    func testTooBig() throws {
        assertError(.tooBig, try pagingOff.read(from: 0, count: GuestMemory.maximumTransfer + 1))
        assertError(.tooBig, try pagingOff.read(from: 0, count: -1))
        assertError(.tooBig, try pagingOff.write([UInt8](repeating: 1, count: GuestMemory.maximumTransfer + 1), to: 0))
        XCTAssertEqual(try pagingOff.read(from: 0x1_0000, count: GuestMemory.maximumTransfer).count, 64 * 1024)
        XCTAssertEqual(try pagingOff.read(from: 0x7FFF_FFFF_FFFF, count: 0), [])
    }

    func testAddressWrapAround() {
        assertError(.badAddress, try pagingOff.read(from: UInt64.max - 3, count: 8))
    }
}
