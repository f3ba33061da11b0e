/// The two nested page-table formats, as entry encodings over one 4-level
/// walker (`NestedPageTable`). Both use 512 eight-byte entries per 4 KiB
/// table and bits 51:12 for the next table's (or the page's) address; they
/// differ in the permission and type bits.
///
/// - EPT (Intel SDM Vol. 3C, 29.3.2): bit 0 read, 1 write, 2 execute; leaf
///   entries carry the memory type in bits 5:3 (6 = write-back).
/// - NPT (AMD APM Vol. 2, 15.25): the ordinary long-mode format: bit 0
///   present, 1 writable, 2 user (NPT walks are user accesses, so the U bit
///   must be set at every level), bit 63 no-execute.
enum PageTableFormat {
    case ept
    case npt

    static let addressMask: UInt64 = 0x000F_FFFF_FFFF_F000

    /// An entry pointing at the next-level table.
    func tableEntry(address: UInt64) -> UInt64 {
        switch self {
        case .ept: (address & Self.addressMask) | 0b111
        case .npt: (address & Self.addressMask) | 0b111
        }
    }

    /// A 4 KiB leaf entry mapping `address` with the given permissions.
    func pageEntry(address: UInt64, writable: Bool, executable: Bool) -> UInt64 {
        switch self {
        case .ept:
            var entry = (address & Self.addressMask) | 1 | (6 << 3)   // read, write-back
            if writable { entry |= 1 << 1 }
            if executable { entry |= 1 << 2 }
            return entry
        case .npt:
            var entry = (address & Self.addressMask) | 1 | (1 << 2)   // present, user
            if writable { entry |= 1 << 1 }
            if !executable { entry |= 1 << 63 }
            return entry
        }
    }

    func isPresent(_ entry: UInt64) -> Bool {
        switch self {
        case .ept: entry & 0b111 != 0
        case .npt: entry & 1 != 0
        }
    }

    func address(of entry: UInt64) -> UInt64 { entry & Self.addressMask }
}
