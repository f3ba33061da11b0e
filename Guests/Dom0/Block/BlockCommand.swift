import XenPublic

/// What blkback does for one request, decided from the backend's own copy
/// of it: every field the frontend chose is checked here, before any I/O.
enum BlockCommand: Equatable {
    case read(BlockTransfer)
    case write(BlockTransfer)
    /// FLUSH_DISKCACHE: write the transfer first if it has data (Linux's
    /// blkfront sends a flush with the data of a REQ_FUA write), then
    /// flush the disk's cache.
    case flush(BlockTransfer?)
    case refuse(BlockRefusal)

    init(_ request: blkif_request, diskSectors: UInt64, readOnly: Bool) {
        switch Int32(request.operation) {
        case BLKIF_OP_READ:
            self = Self.transfer(request, diskSectors, BlockCommand.read)
        case BLKIF_OP_WRITE:
            self = readOnly ? .refuse(.readOnly) : Self.transfer(request, diskSectors, BlockCommand.write)
        case BLKIF_OP_FLUSH_DISKCACHE:
            if request.nr_segments == 0 {
                self = .flush(nil)
            } else {
                self = readOnly ? .refuse(.readOnly) : Self.transfer(request, diskSectors) { .flush($0) }
            }
        default:
            // Barrier, discard and indirect are not advertised, so a
            // frontend that sends them is wrong; so is an unknown number.
            self = .refuse(.unsupportedOperation(request.operation))
        }
    }

    private static func transfer(_ request: blkif_request, _ diskSectors: UInt64,
                                 _ make: (BlockTransfer) -> BlockCommand) -> BlockCommand {
        switch BlockTransfer.checked(request, diskSectors: diskSectors) {
        case .success(let transfer): return make(transfer)
        case .failure(let refusal): return .refuse(refusal)
        }
    }
}
