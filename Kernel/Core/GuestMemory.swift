/// Reads and writes guest memory at the addresses a guest passes in
/// hypercall arguments: guest-linear (virtual) addresses.
///
/// Each access is translated page by page: first through the guest's own
/// page tables (as the CPU would, from its CR0/CR3/CR4/EFER), then through
/// the domain's P2M. Anything not present, not canonical, outside the
/// domain's RAM, or not writable for a write is `badAddress` (EFAULT), and
/// nothing is copied in part: a buffer is translated whole before a byte
/// moves. Supported guest modes (Intel SDM Vol. 3A, 4.1.1): paging off
/// (linear = physical, 32 bits), 32-bit paging with 4 KiB pages and, under
/// CR4.PSE, 4 MiB pages (`GuestMemory+TwoLevelPaging.swift`), PAE paging,
/// and 4-level long-mode paging. A PVH guest starts in 32-bit protected
/// mode with paging off and may turn on any of them before it makes a
/// hypercall.
///
/// Access rights are checked as the guest kernel's own access would be:
/// present, and R/W for a write when CR0.WP is set. The U/S bit is not
/// checked: hypercalls come from the guest kernel, a supervisor access.
struct GuestMemory {
    let memory: DomainMemory
    let state: GuestControlState

    /// The largest buffer a hypercall may hand over in one go.
    static let maximumTransfer = 64 * 1024

    func read(from linear: UInt64, count: Int) throws(HypercallError) -> [UInt8] {
        let pieces = try translate(linear, count: count, forWrite: false)
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        bytes.withUnsafeMutableBytes { buffer in
            for piece in pieces {
                buffer.baseAddress!.advanced(by: offset)
                    .copyMemory(from: memory.physicalMemory.pointer(piece.host), byteCount: piece.count)
                offset += piece.count
            }
        }
        return bytes
    }

    func write(_ bytes: [UInt8], to linear: UInt64) throws(HypercallError) {
        let pieces = try translate(linear, count: bytes.count, forWrite: true)
        var offset = 0
        bytes.withUnsafeBytes { buffer in
            for piece in pieces {
                memory.physicalMemory.pointer(piece.host)
                    .copyMemory(from: buffer.baseAddress!.advanced(by: offset), byteCount: piece.count)
                offset += piece.count
            }
        }
    }

    /// `count` consecutive 64-bit values (frame lists, index arrays).
    func readUInt64s(from linear: UInt64, count: Int) throws(HypercallError) -> [UInt64] {
        let bytes = try read(from: linear, count: count * 8)
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) }
        }
    }

    /// A piece of a guest buffer that is contiguous in host memory.
    struct Piece {
        var host: UInt64
        var count: Int
    }

    /// Splits [linear, linear + count) at page boundaries and translates
    /// each page; fails as a whole if any page fails.
    func translate(_ linear: UInt64, count: Int, forWrite: Bool) throws(HypercallError) -> [Piece] {
        // LAB 2 BEGIN: check a guest buffer and translate it page by page, whole or not at all
        // LAB 2 STUB: fatalError("lab 2: GuestMemory.translate is yours to write (Docs/labs/lab2-first-hypercall.md)")
        guard count >= 0, count <= Self.maximumTransfer else { throw .tooBig }
        guard count > 0 else { return [] }
        let (_, overflow) = linear.addingReportingOverflow(UInt64(count))
        guard !overflow else { throw .badAddress }
        var pieces: [Piece] = []
        var address = linear
        var remaining = count
        while remaining > 0 {
            let inPage = min(remaining, Int(4096 - (address & 0xFFF)))
            let guestPhysical = try linearToPhysical(address, forWrite: forWrite)
            guard let host = memory.hostAddress(of: guestPhysical) else { throw .badAddress }
            pieces.append(Piece(host: host, count: inPage))
            address += UInt64(inPage)
            remaining -= inPage
        }
        return pieces
        // LAB 2 END
    }

    /// The guest-physical address the guest's CPU would use for `linear`.
    func linearToPhysical(_ linear: UInt64, forWrite: Bool) throws(HypercallError) -> UInt64 {
        guard state.pagingEnabled else {
            // Protected mode without paging: 32-bit linear = physical.
            guard linear <= 0xFFFF_FFFF else { throw .badAddress }
            return linear
        }
        if state.longModeActive {
            return try walkLongMode(linear, forWrite: forWrite)
        }
        if state.physicalAddressExtension {
            return try walkPAE(linear, forWrite: forWrite)
        }
        return try walkTwoLevel(linear, forWrite: forWrite)
    }

    // Entry bits at the same place in every format (Intel SDM Vol. 3A, 4.3 to 4.5).
    private static let present: UInt64 = 1 << 0
    private static let writable: UInt64 = 1 << 1
    static let largePage: UInt64 = 1 << 7
    private static let frameMask: UInt64 = 0x000F_FFFF_FFFF_F000

    /// 4-level paging (Intel SDM Vol. 3A, 4.5): PML4 -> PDPT -> PD -> PT,
    /// with 1 GiB pages at the PDPT and 2 MiB pages at the PD.
    private func walkLongMode(_ linear: UInt64, forWrite: Bool) throws(HypercallError) -> UInt64 {
        // Canonical: bits 63:47 all equal.
        let top = linear >> 47
        guard top == 0 || top == 0x1_FFFF else { throw .badAddress }
        var table = state.cr3 & Self.frameMask
        for level in stride(from: 3, through: 0, by: -1) {
            let index = (linear >> (12 + 9 * UInt64(level))) & 0x1FF
            let entry = try readTableEntry(table + index * 8)
            try check(entry, forWrite: forWrite)
            if level == 0 { return (entry & Self.frameMask) | (linear & 0xFFF) }
            if (level == 1 || level == 2) && entry & Self.largePage != 0 {
                let pageSize: UInt64 = 1 << (12 + 9 * UInt64(level))
                return (entry & Self.frameMask & ~(pageSize - 1)) | (linear & (pageSize - 1))
            }
            table = entry & Self.frameMask
        }
        throw .badAddress
    }

    /// PAE paging (Intel SDM Vol. 3A, 4.4): 4 PDPTEs at CR3[31:5], then PD
    /// (2 MiB pages possible) and PT.
    private func walkPAE(_ linear: UInt64, forWrite: Bool) throws(HypercallError) -> UInt64 {
        guard linear <= 0xFFFF_FFFF else { throw .badAddress }
        let pointerTable = state.cr3 & 0xFFFF_FFE0
        let directoryPointer = try readTableEntry(pointerTable + ((linear >> 30) & 3) * 8)
        guard directoryPointer & Self.present != 0 else { throw .badAddress }
        let directoryEntry = try readTableEntry((directoryPointer & Self.frameMask) + ((linear >> 21) & 0x1FF) * 8)
        try check(directoryEntry, forWrite: forWrite)
        if directoryEntry & Self.largePage != 0 {
            return (directoryEntry & Self.frameMask & ~0x1F_FFFF) | (linear & 0x1F_FFFF)
        }
        let tableEntry = try readTableEntry((directoryEntry & Self.frameMask) + ((linear >> 12) & 0x1FF) * 8)
        try check(tableEntry, forWrite: forWrite)
        return (tableEntry & Self.frameMask) | (linear & 0xFFF)
    }

    /// A write through a read-only entry faults for the guest kernel too
    /// when CR0.WP is set, so the hypervisor refuses it the same way
    /// (Intel SDM Vol. 3A, 4.6.1). Every format checks each entry of a walk
    /// with this, so a read-only directory protects everything below it.
    func check(_ entry: UInt64, forWrite: Bool) throws(HypercallError) {
        guard entry & Self.present != 0 else { throw .badAddress }
        let writeProtect = state.cr0 & (1 << 16) != 0
        if forWrite && writeProtect && entry & Self.writable == 0 { throw .badAddress }
    }

    /// Guest page tables live in guest RAM; a table pointer outside it is
    /// the guest's mistake, not ours to follow.
    private func readTableEntry(_ guestPhysical: UInt64) throws(HypercallError) -> UInt64 {
        guard let host = memory.hostAddress(of: guestPhysical) else { throw .badAddress }
        return memory.physicalMemory.load64(host)
    }
}
