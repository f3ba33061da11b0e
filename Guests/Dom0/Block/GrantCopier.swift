/// How blkback moves a segment's bytes between the frontend's granted
/// page and its own bounce buffer: dom0 does it with GNTTABOP_copy (so it
/// never maps a guest's data page), tests with a fake that can refuse a
/// given reference. Every byte range it is asked for lies inside one
/// 4 KiB page (BlockSegment checks that first).
///
/// Class-bound: Embedded Swift has existentials of class protocols only.
protocol GrantCopier: AnyObject {
    /// Copies `length` bytes at `offset` in page `reference` granted by
    /// domain `frontend` into `buffer`; false if the grant was refused.
    func copy(from reference: UInt32, of frontend: UInt16, offset: Int, length: Int,
              into buffer: UnsafeMutableRawPointer) -> Bool
    /// Copies `length` bytes from `buffer` to `offset` in page `reference`
    /// granted by `frontend` (which must have granted it writable).
    func copy(to reference: UInt32, of frontend: UInt16, offset: Int, length: Int,
              from buffer: UnsafeRawPointer) -> Bool
}
