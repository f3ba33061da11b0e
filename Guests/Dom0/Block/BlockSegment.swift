import XenPublic

/// One checked segment of a read or write: sectors `firstSector` through
/// `lastSector` of the frontend's granted page `reference`.
struct BlockSegment: Equatable {
    static let sectorsPerPage: UInt8 = 8

    let reference: UInt32
    let firstSector: UInt8
    let lastSector: UInt8

    /// Nil unless the sectors are a non-empty run inside one 4 KiB page:
    /// a frontend's bad numbers must never become an offset past the page.
    init?(_ raw: blkif_request_segment) {
        guard raw.first_sect <= raw.last_sect, raw.last_sect < Self.sectorsPerPage else { return nil }
        reference = raw.gref
        firstSector = raw.first_sect
        lastSector = raw.last_sect
    }

    var sectorCount: Int { Int(lastSector - firstSector) + 1 }
    var byteOffset: Int { Int(firstSector) * Int(BLKIF_SECTOR_SIZE) }
    var byteCount: Int { sectorCount * Int(BLKIF_SECTOR_SIZE) }
}
