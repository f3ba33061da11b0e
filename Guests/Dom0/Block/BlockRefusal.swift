import XenPublic

/// Why blkback answered a request with something other than
/// BLKIF_RSP_OKAY. Each is the frontend's doing (a bad request) or the
/// disk's (an I/O error); none stops the backend.
enum BlockRefusal: Error, Equatable {
    /// Barrier, discard, indirect (none of them advertised) or a number
    /// blkif does not define: Linux's blkback answers both EOPNOTSUPP.
    case unsupportedOperation(UInt8)
    /// A read or write with 0 segments, or more than 11.
    case badSegmentCount(UInt8)
    /// Segment `index` has first_sect > last_sect or last_sect > 7.
    case badSegment(index: Int)
    /// The sectors run past the disk's end (or past 2^64).
    case beyondDisk(sector: UInt64, count: Int)
    /// A write (or a flush with data) to a vbd attached read-only.
    case readOnly
    /// The hypervisor refused a grant copy of segment `index`.
    case badGrant(index: Int, reference: UInt32)
    /// The disk reported an error.
    case deviceError

    var status: Int16 {
        if case .unsupportedOperation = self { return Int16(BLKIF_RSP_EOPNOTSUPP) }
        return Int16(BLKIF_RSP_ERROR)
    }
}
