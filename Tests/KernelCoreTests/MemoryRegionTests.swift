import XCTest
@testable import KernelCore

final class MemoryRegionTests: XCTestCase {
    func testMultibootTypesMapToKinds() {
        XCTAssertEqual(MemoryRegionKind(multibootType: 1), .available)
        XCTAssertEqual(MemoryRegionKind(multibootType: 2), .reserved)
        XCTAssertEqual(MemoryRegionKind(multibootType: 3), .acpiReclaimable)
        XCTAssertEqual(MemoryRegionKind(multibootType: 4), .acpiNonVolatile)
        XCTAssertEqual(MemoryRegionKind(multibootType: 5), .defective)
    }

    func testUnknownTypesAreReserved() {
        for type: UInt32 in [0, 6, 7, 12, 0xF000_0000, UInt32.max] {
            XCTAssertEqual(MemoryRegionKind(multibootType: type), .reserved, "type \(type)")
        }
    }

    func testNamesAreDistinctAndShort() {
        let kinds: [MemoryRegionKind] = [.available, .reserved, .acpiReclaimable, .acpiNonVolatile, .defective]
        let names = kinds.map(\.name)
        XCTAssertEqual(Set(names).count, kinds.count)
        XCTAssertTrue(names.allSatisfy { !$0.isEmpty && $0.count <= 16 })
        XCTAssertEqual(MemoryRegionKind.available.name, "available")
    }

    func testRegionFromMultibootRecord() {
        let region = MemoryRegion(multibootBase: 0x100000, length: 0x7EE0000, type: 1)
        XCTAssertEqual(region.range, MemoryRange(start: 0x100000, end: 0x7FE0000))
        XCTAssertEqual(region.kind, .available)
        let wrapping = MemoryRegion(multibootBase: UInt64.max - 0xFFF, length: 0x10000, type: 2)
        XCTAssertEqual(wrapping.range.end, UInt64.max, "a wrapping entry saturates")
        XCTAssertEqual(wrapping.kind, .reserved)
    }
}
