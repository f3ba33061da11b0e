import XCTest
import XenPublic
@testable import BlockBackend

/// Every check a request goes through before any I/O.
final class BlockCommandTests: XCTestCase {
    let disk: UInt64 = 1000

    func command(_ request: blkif_request, readOnly: Bool = false) -> BlockCommand {
        BlockCommand(request, diskSectors: disk, readOnly: readOnly)
    }

    func refusal(_ request: blkif_request, readOnly: Bool = false) -> BlockRefusal? {
        if case .refuse(let refusal) = command(request, readOnly: readOnly) { return refusal }
        return nil
    }

    func testLayoutsAreXens() {
        XCTAssertEqual(MemoryLayout<blkif_request>.size, 112)
        XCTAssertEqual(MemoryLayout<blkif_response>.size, 16)
        XCTAssertEqual(MemoryLayout<blkif_sring_entry>.stride, 112)
        XCTAssertEqual(MemoryLayout<blkif_request_segment>.stride, 8)
        XCTAssertEqual(MemoryLayout<blkif_request>.offset(of: \.sector_number), 16)
        XCTAssertEqual(MemoryLayout<blkif_response>.offset(of: \.status), 10)
        XCTAssertEqual(BlockRing.entryCount, 32)
        XCTAssertEqual(BlockRing.headerSize + Int(BlockRing.entryCount) * BlockRing.entrySize, 64 + 32 * 112)
    }

    func testReadAcrossSegmentsCountsTheirSectors() {
        guard case .read(let transfer) = command(blkifRequest(BLKIF_OP_READ, id: 1, sector: 10,
                                                               segments: [(5, 0, 7), (6, 2, 2), (7, 1, 3)])) else {
            return XCTFail("not a read")
        }
        XCTAssertEqual(transfer.sector, 10)
        XCTAssertEqual(transfer.sectorCount, 8 + 1 + 3)
        XCTAssertEqual(transfer.segmentCount, 3)
        XCTAssertEqual(transfer.segment(1).reference, 6)
        XCTAssertEqual(transfer.segment(2).byteOffset, 512)
        XCTAssertEqual(transfer.segment(2).byteCount, 1536)
    }

    func testElevenSegmentsAreTheMost() {
        let eleven = Array(repeating: (UInt32(1), UInt8(0), UInt8(7)), count: 11)
        guard case .write(let transfer) = command(blkifRequest(BLKIF_OP_WRITE, id: 1, segments: eleven)) else {
            return XCTFail("not a write")
        }
        XCTAssertEqual(transfer.byteCount, BlockBackend.bounceBytes)
        XCTAssertEqual(refusal(blkifRequest(BLKIF_OP_WRITE, id: 1, segments: eleven, count: 12)), .badSegmentCount(12))
        XCTAssertEqual(refusal(blkifRequest(BLKIF_OP_READ, id: 1, segments: eleven, count: 255)), .badSegmentCount(255))
    }

    func testNoSegmentsIsRefusedForReadAndWrite() {
        XCTAssertEqual(refusal(blkifRequest(BLKIF_OP_READ, id: 1)), .badSegmentCount(0))
        XCTAssertEqual(refusal(blkifRequest(BLKIF_OP_WRITE, id: 1)), .badSegmentCount(0))
        XCTAssertEqual(BlockRefusal.badSegmentCount(0).status, Int16(BLKIF_RSP_ERROR))
    }

    func testSegmentsMustStayInTheirPage() {
        XCTAssertEqual(refusal(blkifRequest(BLKIF_OP_READ, id: 1, segments: [(1, 0, 7), (2, 3, 2)])), .badSegment(index: 1))
        XCTAssertEqual(refusal(blkifRequest(BLKIF_OP_READ, id: 1, segments: [(1, 0, 8)])), .badSegment(index: 0))
        XCTAssertEqual(refusal(blkifRequest(BLKIF_OP_WRITE, id: 1, segments: [(1, 9, 255)])), .badSegment(index: 0))
        XCTAssertNotNil(BlockSegment(blkif_request_segment(gref: 1, first_sect: 7, last_sect: 7)))
    }

    func testSectorsMustLieInsideTheDisk() {
        XCTAssertEqual(refusal(blkifRequest(BLKIF_OP_READ, id: 1, sector: 999, segments: [(1, 0, 1)])),
                       .beyondDisk(sector: 999, count: 2))
        XCTAssertEqual(refusal(blkifRequest(BLKIF_OP_WRITE, id: 1, sector: 1000, segments: [(1, 0, 0)])),
                       .beyondDisk(sector: 1000, count: 1))
        XCTAssertEqual(refusal(blkifRequest(BLKIF_OP_READ, id: 1, sector: UInt64.max - 2, segments: [(1, 0, 7)])),
                       .beyondDisk(sector: UInt64.max - 2, count: 8))
        guard case .read = command(blkifRequest(BLKIF_OP_READ, id: 1, sector: 998, segments: [(1, 6, 7)])) else {
            return XCTFail("the disk's last two sectors are readable")
        }
    }

    func testReadOnlyRefusesWritesAndFlushesWithData() {
        XCTAssertEqual(refusal(blkifRequest(BLKIF_OP_WRITE, id: 1, segments: [(1, 0, 0)]), readOnly: true), .readOnly)
        XCTAssertEqual(refusal(blkifRequest(BLKIF_OP_FLUSH_DISKCACHE, id: 1, segments: [(1, 0, 0)]), readOnly: true), .readOnly)
        XCTAssertEqual(command(blkifRequest(BLKIF_OP_FLUSH_DISKCACHE, id: 1), readOnly: true), .flush(nil))
        guard case .read = command(blkifRequest(BLKIF_OP_READ, id: 1, segments: [(1, 0, 0)]), readOnly: true) else {
            return XCTFail("a read-only vbd reads")
        }
        XCTAssertEqual(BlockRefusal.readOnly.status, Int16(BLKIF_RSP_ERROR))
    }

    func testFlushWithSegmentsIsAWriteFirst() {
        XCTAssertEqual(command(blkifRequest(BLKIF_OP_FLUSH_DISKCACHE, id: 1, sector: 5)), .flush(nil))
        guard case .flush(let transfer?) = command(blkifRequest(BLKIF_OP_FLUSH_DISKCACHE, id: 1, sector: 5,
                                                                 segments: [(3, 0, 3)])) else {
            return XCTFail("no write in the flush")
        }
        XCTAssertEqual(transfer.sector, 5)
        XCTAssertEqual(transfer.sectorCount, 4)
        XCTAssertEqual(refusal(blkifRequest(BLKIF_OP_FLUSH_DISKCACHE, id: 1, segments: [(3, 0, 3)], count: 12)),
                       .badSegmentCount(12))
    }

    func testUnadvertisedAndUnknownOperationsAreNotSupported() {
        for operation: Int32 in [BLKIF_OP_WRITE_BARRIER, BLKIF_OP_DISCARD, BLKIF_OP_INDIRECT, BLKIF_OP_RESERVED_1, 7, 255] {
            let refused = refusal(blkifRequest(operation, id: 1, segments: [(1, 0, 0)]))
            XCTAssertEqual(refused, .unsupportedOperation(UInt8(operation)))
            XCTAssertEqual(refused?.status, Int16(BLKIF_RSP_EOPNOTSUPP))
        }
    }
}
