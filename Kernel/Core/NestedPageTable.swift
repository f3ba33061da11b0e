/// A domain's nested page tables (EPT or NPT): the map from guest-physical
/// to host-physical addresses that the hardware walks on every guest memory
/// access. One 4-level walker for both formats; `PageTableFormat` says how
/// an entry is spelled.
///
/// Only 4 KiB leaves: simple, and exactly what a domain's memory map needs.
/// The tables' own frames come from the `FrameSource` and go back on
/// `destroy()`.
final class NestedPageTable {
    let format: PageTableFormat
    let root: UInt64
    private let frames: FrameSource
    private var tableFrames: [UInt64] = []

    /// Guest-physical addresses above this are never mapped (48-bit walks).
    static let addressLimit: UInt64 = 1 << 48

    init?(format: PageTableFormat, frames: FrameSource) {
        guard let root = frames.allocateZeroedFrame() else { return nil }
        self.format = format
        self.frames = frames
        self.root = root
        tableFrames.append(root)
    }

    enum MappingError: Error { case outOfMemory, addressOutOfRange, notAligned }

    /// Maps one 4 KiB guest frame to one host frame.
    func map(guestPhysical: UInt64, hostPhysical: UInt64, writable: Bool = true,
             executable: Bool = true) throws(MappingError) {
        guard guestPhysical % 4096 == 0, hostPhysical % 4096 == 0 else { throw .notAligned }
        guard guestPhysical < Self.addressLimit else { throw .addressOutOfRange }
        var table = root
        for level in stride(from: 3, to: 0, by: -1) {
            let slot = table + Self.index(guestPhysical, level: level) * 8
            var entry = frames.physicalMemory.load64(slot)
            if !format.isPresent(entry) {
                guard let next = frames.allocateZeroedFrame() else { throw .outOfMemory }
                tableFrames.append(next)
                entry = format.tableEntry(address: next)
                frames.physicalMemory.store64(slot, entry)
            }
            table = format.address(of: entry)
        }
        let leaf = table + Self.index(guestPhysical, level: 0) * 8
        frames.physicalMemory.store64(leaf, format.pageEntry(address: hostPhysical, writable: writable,
                                                             executable: executable))
    }

    /// Removes the mapping of one guest frame; returns the host frame it had.
    /// Tables left empty are freed on the way up (never the root), so a
    /// domain that maps and unmaps a window again and again does not slowly
    /// eat page-table frames.
    @discardableResult
    func unmap(guestPhysical: UInt64) -> UInt64? {
        guard guestPhysical < Self.addressLimit else { return nil }
        var parentSlots: [UInt64] = []          // the entry pointing at each lower table
        var table = root
        for level in stride(from: 3, to: 0, by: -1) {
            let slot = table + Self.index(guestPhysical, level: level) * 8
            let entry = frames.physicalMemory.load64(slot)
            guard format.isPresent(entry) else { return nil }
            parentSlots.append(slot)
            table = format.address(of: entry)
        }
        let leaf = table + Self.index(guestPhysical, level: 0) * 8
        let entry = frames.physicalMemory.load64(leaf)
        guard format.isPresent(entry) else { return nil }
        frames.physicalMemory.store64(leaf, 0)

        var emptyCandidate = table
        for slot in parentSlots.reversed() {
            guard isEmpty(emptyCandidate) else { break }
            frames.physicalMemory.store64(slot, 0)
            frames.freeFrame(emptyCandidate)
            tableFrames.removeAll { $0 == emptyCandidate }
            emptyCandidate = slot & ~0xFFF
        }
        return format.address(of: entry)
    }

    private func isEmpty(_ table: UInt64) -> Bool {
        for index in 0..<UInt64(512) where frames.physicalMemory.load64(table + index * 8) != 0 {
            return false
        }
        return true
    }

    /// The host-physical address a guest-physical one maps to, as the
    /// hardware would find it.
    func translate(_ guestPhysical: UInt64) -> UInt64? {
        guard let leaf = leafSlot(guestPhysical) else { return nil }
        let entry = frames.physicalMemory.load64(leaf)
        guard format.isPresent(entry) else { return nil }
        return format.address(of: entry) | (guestPhysical & 0xFFF)
    }

    /// Gives every table frame back. The mapped frames belong to the
    /// domain's memory, not to the tables, and are freed by their owner.
    func destroy() {
        for frame in tableFrames { frames.freeFrame(frame) }
        tableFrames.removeAll()
    }

    var tableFrameCount: Int { tableFrames.count }

    private func leafSlot(_ guestPhysical: UInt64) -> UInt64? {
        guard guestPhysical < Self.addressLimit else { return nil }
        var table = root
        for level in stride(from: 3, to: 0, by: -1) {
            let entry = frames.physicalMemory.load64(table + Self.index(guestPhysical, level: level) * 8)
            guard format.isPresent(entry) else { return nil }
            table = format.address(of: entry)
        }
        return table + Self.index(guestPhysical, level: 0) * 8
    }

    /// Bits 47:39 select the PML4 entry (level 3), 38:30 the PDPT entry,
    /// 29:21 the page directory entry, 20:12 the page table entry (level 0).
    static func index(_ address: UInt64, level: Int) -> UInt64 {
        (address >> (12 + 9 * UInt64(level))) & 0x1FF
    }
}
