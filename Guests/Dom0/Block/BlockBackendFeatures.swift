import XenPublic

/// The nodes the backend writes in its directory before it goes InitWait,
/// which Linux's blkfront reads: the disk's size and kind, and the one
/// optional feature offered (flush). The others blkfront looks for
/// (feature-barrier, feature-discard, feature-persistent,
/// feature-max-indirect-segments, max-ring-page-order,
/// multi-queue-max-queues) stay absent, so it uses one one-page ring,
/// direct segments, and grants it revokes after each request.
enum BlockBackendFeatures {
    static func nodes(sectorCount: UInt64, readOnly: Bool) -> [(name: String, value: String)] {
        [
            ("sectors", "\(sectorCount)"),
            ("info", "\(readOnly ? UInt32(VDISK_READONLY) : 0)"),
            ("sector-size", "\(BLKIF_SECTOR_SIZE)"),
            ("feature-flush-cache", "1"),
        ]
    }
}
