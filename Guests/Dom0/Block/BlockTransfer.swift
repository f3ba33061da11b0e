import XenPublic

/// The data part of a checked read or write: `sectorCount` sectors from
/// disk sector `sector`, in `segmentCount` segments laid end to end.
///
/// It keeps the request's own copy (taken out of the shared page once) so
/// that serving a request allocates nothing; its segments were all
/// checked when it was made.
struct BlockTransfer: Equatable {
    let sector: UInt64
    let sectorCount: Int
    let segmentCount: Int
    private let request: blkif_request

    /// Nil with the reason unless every segment is well-formed and the
    /// sectors lie inside a disk of `diskSectors`.
    static func checked(_ request: blkif_request, diskSectors: UInt64) -> Result<BlockTransfer, BlockRefusal> {
        let count = Int(request.nr_segments)
        guard count >= 1, count <= Int(BLKIF_MAX_SEGMENTS_PER_REQUEST) else {
            return .failure(.badSegmentCount(request.nr_segments))
        }
        var sectors = 0
        for index in 0..<count {
            guard let segment = BlockSegment(rawSegment(index, of: request)) else {
                return .failure(.badSegment(index: index))
            }
            sectors += segment.sectorCount
        }
        let (end, overflow) = request.sector_number.addingReportingOverflow(UInt64(sectors))
        guard !overflow, end <= diskSectors else {
            return .failure(.beyondDisk(sector: request.sector_number, count: sectors))
        }
        return .success(BlockTransfer(sector: request.sector_number, sectorCount: sectors,
                                      segmentCount: count, request: request))
    }

    var byteCount: Int { sectorCount * Int(BLKIF_SECTOR_SIZE) }

    /// Segment `index` (0 ..< segmentCount).
    func segment(_ index: Int) -> BlockSegment {
        BlockSegment(Self.rawSegment(index, of: request))!
    }

    private static func rawSegment(_ index: Int, of request: blkif_request) -> blkif_request_segment {
        withUnsafeBytes(of: request.seg) { segments in
            segments.load(fromByteOffset: index * MemoryLayout<blkif_request_segment>.stride,
                          as: blkif_request_segment.self)
        }
    }

    static func == (left: BlockTransfer, right: BlockTransfer) -> Bool {
        guard left.sector == right.sector, left.sectorCount == right.sectorCount,
              left.segmentCount == right.segmentCount else { return false }
        for index in 0..<left.segmentCount where left.segment(index) != right.segment(index) { return false }
        return true
    }
}
