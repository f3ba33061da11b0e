/// 32-bit paging, the two-level format of Intel SDM Vol. 3A, 4.3, used
/// when CR0.PG = 1 and CR4.PAE = 0:
///
///     linear  31:22 directory index | 21:12 table index | 11:0 offset
///     CR3     31:12 the page directory (1024 entries of 4 bytes)
///     PDE     maps a 4 MiB page if CR4.PSE = 1 and its PS bit (7) is 1,
///             else bits 31:12 locate a page table (1024 entries of 4 bytes)
///     PTE     bits 31:12 are the 4 KiB page
///
/// Entries are 4 bytes here, so they are read as 4 bytes: an 8-byte read
/// would take the next entry for the upper half.
extension GuestMemory {
    private static let twoLevelFrameMask: UInt64 = 0xFFFF_F000

    func walkTwoLevel(_ linear: UInt64, forWrite: Bool) throws(HypercallError) -> UInt64 {
        // A 32-bit guest has 32-bit linear addresses; the upper half of a
        // 64-bit hypercall argument is not an address it could mean.
        guard linear <= 0xFFFF_FFFF else { throw .badAddress }
        let directory = state.cr3 & Self.twoLevelFrameMask
        let directoryEntry = try readTwoLevelEntry(directory + ((linear >> 22) & 0x3FF) * 4)
        try check(directoryEntry, forWrite: forWrite)
        // Without CR4.PSE the PS bit has no meaning (4.3): every present
        // directory entry locates a page table.
        if state.pageSizeExtension && directoryEntry & Self.largePage != 0 {
            return try fourMiBPageAddress(directoryEntry, linear)
        }
        let table = directoryEntry & Self.twoLevelFrameMask
        let tableEntry = try readTwoLevelEntry(table + ((linear >> 12) & 0x3FF) * 4)
        try check(tableEntry, forWrite: forWrite)
        return (tableEntry & Self.twoLevelFrameMask) | (linear & 0xFFF)
    }

    /// Where a 4 MiB page entry points (4.3, the table of a PDE that maps a
    /// 4 MiB page): address bits 31:22 are the entry's bits 31:22, and bits
    /// 39:32 are its bits 20:13 (PSE-36, as on a CPU with 40 or more
    /// physical address bits; a CPU with fewer reserves the upper ones of
    /// those bits, and an address beyond the domain's RAM fails in the P2M
    /// anyway). Bit 21 is reserved on every CPU: a reserved-bit page fault.
    private func fourMiBPageAddress(_ entry: UInt64, _ linear: UInt64) throws(HypercallError) -> UInt64 {
        guard entry & (1 << 21) == 0 else { throw .badAddress }
        let bits39to32 = (entry >> 13) & 0xFF
        return (bits39to32 << 32) | (entry & 0xFFC0_0000) | (linear & 0x3F_FFFF)
    }

    /// A 4-byte entry of a guest page directory or table, which must lie in
    /// the guest's RAM.
    private func readTwoLevelEntry(_ guestPhysical: UInt64) throws(HypercallError) -> UInt64 {
        guard let host = memory.hostAddress(of: guestPhysical) else { throw .badAddress }
        return UInt64(memory.physicalMemory.load32(host))
    }
}
