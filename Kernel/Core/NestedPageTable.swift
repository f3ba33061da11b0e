/// A domain's nested page tables (EPT or NPT): the map from guest-physical
/// to host-physical addresses that the hardware walks on every guest memory
/// access. One 4-level walker for both formats; `PageTableFormat` says how
/// an entry is spelled.
///
/// Only 4 KiB leaves: simple, and exactly what a domain's memory map needs.
/// The tables' own frames come from the `FrameSource` and go back on
/// `destroy()`. A table exists only while it holds an entry: `map` makes
/// the tables a new address needs, `unmap` frees those it leaves empty, so
/// the tables' size follows what is mapped, not how high it is mapped.
/// The tables keep no list of themselves on the heap: they are their own
/// record, found again by walking them.
final class NestedPageTable {
    let format: PageTableFormat
    let root: UInt64
    private let frames: FrameSource
    /// Table frames held now, the root included; 0 once destroyed.
    private(set) var tableFrameCount = 1

    /// Guest-physical addresses above this are never mapped (48-bit walks).
    static let addressLimit: UInt64 = 1 << 48

    init?(format: PageTableFormat, frames: FrameSource) {
        guard let root = frames.allocateZeroedFrame() else { return nil }
        self.format = format
        self.frames = frames
        self.root = root
    }

    enum MappingError: Error {
        case outOfMemory
        /// The mapping would need more table frames than the caller allows.
        case tableLimitReached
        case addressOutOfRange
        case notAligned
    }

    var isDestroyed: Bool { tableFrameCount == 0 }

    /// Maps one 4 KiB guest frame to one host frame, replacing what was
    /// there. The tables it needs are made first, and only if the table
    /// count stays within `tableFrameLimit`; if a frame cannot be had, the
    /// tables made for this call go again, so a failed map changes nothing.
    func map(guestPhysical: UInt64, hostPhysical: UInt64, writable: Bool = true,
             executable: Bool = true, tableFrameLimit: Int = .max) throws(MappingError) {
        guard hostPhysical % 4096 == 0 else { throw .notAligned }
        let table = try leafTable(for: guestPhysical, tableFrameLimit: tableFrameLimit)
        setLeafEntry(in: table, guestPhysical: guestPhysical, hostPhysical: hostPhysical,
                     writable: writable, executable: executable)
    }

    /// The page table (level 0) whose entries map the 2 MiB around
    /// `guestPhysical`, made, with the tables above it, if missing; the same
    /// limit and the same undoing on failure as `map`. With
    /// `setLeafEntries`, a caller filling many frames of one table walks once
    /// per table rather than once per frame (dom0's RAM at boot).
    func leafTable(for guestPhysical: UInt64, tableFrameLimit: Int = .max) throws(MappingError) -> UInt64 {
        guard guestPhysical % 4096 == 0 else { throw .notAligned }
        // Once destroyed, no address is in range: the root is gone.
        guard guestPhysical < Self.addressLimit, !isDestroyed else { throw .addressOutOfRange }
        guard tableFrameCount + missingTables(guestPhysical) <= tableFrameLimit else { throw .tableLimitReached }
        var table = root
        for level in stride(from: 3, to: 0, by: -1) {
            let slot = table + Self.index(guestPhysical, level: level) * 8
            var entry = frames.physicalMemory.load64(slot)
            if !format.isPresent(entry) {
                guard let next = frames.allocateZeroedFrame() else {
                    freeEmptyTables(along: guestPhysical)
                    throw .outOfMemory
                }
                tableFrameCount += 1
                entry = format.tableEntry(address: next)
                frames.physicalMemory.store64(slot, entry)
            }
            table = format.address(of: entry)
        }
        return table
    }

    /// Writes the entry for `guestPhysical` into `table`, the page table
    /// `leafTable(for:)` gave for it, replacing what was there.
    func setLeafEntry(in table: UInt64, guestPhysical: UInt64, hostPhysical: UInt64,
                      writable: Bool = true, executable: Bool = true) {
        frames.physicalMemory.store64(table + Self.index(guestPhysical, level: 0) * 8,
                                      format.pageEntry(address: hostPhysical, writable: writable,
                                                       executable: executable))
    }

    /// `setLeafEntry` for `count` frames in a row from `guestPhysical`,
    /// backed by the host frames in a row from `hostPhysical`, writable and
    /// executable; all in `table` (so at most up to its 512th entry).
    func setLeafEntries(in table: UInt64, guestPhysical: UInt64, hostPhysical: UInt64, count: Int) {
        let memory = frames.physicalMemory
        let firstSlot = table + Self.index(guestPhysical, level: 0) * 8
        let firstEntry = format.pageEntry(address: hostPhysical, writable: true, executable: true)
        // The address is the only part of an entry that changes.
        for index in 0..<UInt64(count) {
            memory.store64(firstSlot + index * 8, firstEntry + index * 4096)
        }
    }

    /// How many tables mapping `guestPhysical` would have to make: one per
    /// level below the first entry that is not present.
    func missingTables(_ guestPhysical: UInt64) -> Int {
        guard guestPhysical < Self.addressLimit, !isDestroyed else { return 0 }
        var table = root
        for level in stride(from: 3, to: 0, by: -1) {
            let entry = frames.physicalMemory.load64(table + Self.index(guestPhysical, level: level) * 8)
            guard format.isPresent(entry) else { return level }
            table = format.address(of: entry)
        }
        return 0
    }

    /// Removes the mapping of one guest frame; returns the host frame it had.
    /// Tables left empty are freed on the way up (never the root), so a
    /// domain that maps and unmaps a window again and again does not slowly
    /// eat page-table frames.
    @discardableResult
    func unmap(guestPhysical: UInt64) -> UInt64? {
        // LAB 4 BEGIN: clear the leaf entry, free the tables left empty, return the host frame
        // LAB 4 STUB: fatalError("lab 4: NestedPageTable.unmap is yours to write (Docs/labs/lab4-nested-paging.md)")
        guard let leaf = slot(guestPhysical, level: 0) else { return nil }
        let entry = frames.physicalMemory.load64(leaf)
        guard format.isPresent(entry) else { return nil }
        frames.physicalMemory.store64(leaf, 0)
        freeEmptyTables(along: guestPhysical)
        return format.address(of: entry)
        // LAB 4 END
    }

    /// Frees the tables on the walk to `guestPhysical` that hold no entry,
    /// lowest first, up to the first that still holds one (never the root).
    private func freeEmptyTables(along guestPhysical: UInt64) {
        // LAB 4 BEGIN: from the lowest table up, free each one left empty, never the root
        // LAB 4 STUB: fatalError("lab 4: NestedPageTable.freeEmptyTables is yours to write (Docs/labs/lab4-nested-paging.md)")
        for level in 1...3 {
            // The entry at `level` points at a table of level - 1.
            guard let parent = slot(guestPhysical, level: level) else { continue }
            let entry = frames.physicalMemory.load64(parent)
            guard format.isPresent(entry) else { continue }
            let table = format.address(of: entry)
            guard isEmpty(table) else { return }
            frames.physicalMemory.store64(parent, 0)
            frames.freeFrame(table)
            tableFrameCount -= 1
        }
        // LAB 4 END
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
        guard let leaf = slot(guestPhysical, level: 0) else { return nil }
        let entry = frames.physicalMemory.load64(leaf)
        guard format.isPresent(entry) else { return nil }
        return format.address(of: entry) | (guestPhysical & 0xFFF)
    }

    /// Calls `body` with every mapped guest-physical frame and its host
    /// frame, in ascending guest-physical order.
    func forEachMapping(_ body: (_ guestPhysical: UInt64, _ hostPhysical: UInt64) -> Void) {
        guard !isDestroyed else { return }
        visit(root, level: 3, base: 0, body)
    }

    private func visit(_ table: UInt64, level: Int, base: UInt64,
                       _ body: (_ guestPhysical: UInt64, _ hostPhysical: UInt64) -> Void) {
        for index in 0..<UInt64(512) {
            let entry = frames.physicalMemory.load64(table + index * 8)
            guard format.isPresent(entry) else { continue }
            let address = base | (index << (12 + 9 * UInt64(level)))
            if level == 0 {
                body(address, format.address(of: entry))
            } else {
                visit(format.address(of: entry), level: level - 1, base: address, body)
            }
        }
    }

    /// Gives every table frame back. The mapped frames belong to the
    /// domain's memory, not to the tables, and are freed by their owner.
    /// Afterwards nothing is mapped and nothing can be.
    func destroy() {
        guard !isDestroyed else { return }
        freeTables(below: root, level: 3)
        frames.freeFrame(root)
        tableFrameCount = 0
    }

    private func freeTables(below table: UInt64, level: Int) {
        guard level > 0 else { return }
        for index in 0..<UInt64(512) {
            let entry = frames.physicalMemory.load64(table + index * 8)
            guard format.isPresent(entry) else { continue }
            let child = format.address(of: entry)
            freeTables(below: child, level: level - 1)
            frames.freeFrame(child)
        }
    }

    /// The physical address of the entry the walk to `guestPhysical` uses
    /// at `level` (3 = PML4, 0 = page table), or nil when a table above it
    /// is missing.
    private func slot(_ guestPhysical: UInt64, level: Int) -> UInt64? {
        guard guestPhysical < Self.addressLimit, !isDestroyed else { return nil }
        var table = root
        for walked in stride(from: 3, to: level, by: -1) {
            let entry = frames.physicalMemory.load64(table + Self.index(guestPhysical, level: walked) * 8)
            guard format.isPresent(entry) else { return nil }
            table = format.address(of: entry)
        }
        return table + Self.index(guestPhysical, level: level) * 8
    }

    /// Bits 47:39 select the PML4 entry (level 3), 38:30 the PDPT entry,
    /// 29:21 the page directory entry, 20:12 the page table entry (level 0).
    static func index(_ address: UInt64, level: Int) -> UInt64 {
        (address >> (12 + 9 * UInt64(level))) & 0x1FF
    }
}
