/// A domain's RAM: guest-physical frames, each backed by a host frame (the
/// physical-to-machine map, "P2M"), and the foreign mappings a privileged
/// domain adds beside it.
///
/// The P2M is the nested page table itself, as in Xen with hardware-assisted
/// paging: a radix tree of 512-entry tables, with tables only where frames
/// are, freed when they empty (`NestedPageTable`). So its size follows what
/// the domain has, not how high its frame numbers go, it costs frames that
/// are counted against the domain rather than hypervisor heap, and there is
/// no second copy to keep in step with what the hardware walks. Every entry
/// is RAM except the guest frames listed in `foreignMappings`.
///
/// RAM is populated frame by frame: all at once for dom0 (`init(bytes:)`),
/// or by dom0's domain builder through XENMEM_populate_physmap for a domU.
/// Foreign mappings show frames of another domain (or a hypervisor page)
/// at guest frames outside the domain's RAM; that is how dom0 writes a new
/// domain's image. Each holds a reference to its frame in the shared
/// `FrameReferences`, so the frame is not freed while it is shown here.
///
/// Every access the hypervisor makes on a guest's behalf goes through
/// `hostAddress(of:)`, which only knows the domain's own RAM: a guest can
/// only ever make the hypervisor touch its own memory.
///
/// What a guest can make its memory cost is bounded by the domain's own
/// limits, and running out of frames is an error for the caller:
/// - RAM: `maximumFrames` (max_mem) frames;
/// - nested page tables: `tableFrameLimit` frames (see there);
/// - foreign mappings: `maximumForeignMappings`;
/// - hypervisor heap: nothing that grows with RAM or with frame numbers.
///   Only the foreign mapping list grows, with the references it holds:
///   40 + 24 bytes a mapping, so at most about 256 KiB (plus slack while
///   an array grows) for a privileged domain; for any other, its
///   shared_info and grant frames and the grants it maps (at most
///   MaptrackTable.maximumMappings). A failed heap allocation would trap, so
///   this bound, not a check, is what keeps the heap from running out.
final class DomainMemory {
    let nestedPageTable: NestedPageTable
    let frames: FrameReferences
    /// Frames of RAM the domain has (Xen's tot_pages).
    private(set) var frameCount = 0
    /// XEN_DOMCTL_max_mem, in frames: `populate` stops there.
    var maximumFrames = 0
    /// One past the highest guest frame ever populated.
    private(set) var frameEnd = 0
    /// Sorted by guest frame.
    private(set) var foreignMappings: [ForeignMapping] = []

    /// The most guest frames a domain may have: 4 GiB of guest-physical space.
    static let frameLimit = 1 << 20
    /// Where grant mappings and grant-table frames may be placed: 1 TiB of
    /// guest-physical space (40 bits). A PVH Linux puts them in space it
    /// has no RAM in, past its RAM and often past 4 GiB; RAM and the other
    /// mappings stay below `frameLimit`. A mapping up there costs two or
    /// three page-table frames, counted in the allowance as any other.
    static let mappingFrameLimit = 1 << 28
    /// The most foreign mappings one domain may hold at once: 16 MiB of
    /// other domains' memory, eight of GuestKit's 512-frame windows
    /// (ForeignMemoryWindow).
    static let maximumForeignMappings = 4096

    /// The end of the RAM area: one past the highest frame ever populated
    /// (the frames below it need not all be there).
    var byteCount: UInt64 { UInt64(frameEnd) * 4096 }
    var physicalMemory: PhysicalMemory { frames.physicalMemory }

    /// How many nested page-table frames the domain may hold, the root
    /// included: 64 + maximumFrames / 256. Contiguous RAM needs one table
    /// per 512 frames (2 MiB) and a few above those; the allowance is twice
    /// that, plus room for a few scattered regions (dom0's foreign window,
    /// a shared_info page up high). A domain that scatters single frames
    /// over its 4 GiB would cost a table per frame: it reaches the limit
    /// and gets -ENOMEM instead. A 4 GiB domain may have 4160 tables, more
    /// than the 2054 that any layout of 4 GiB needs.
    var tableFrameLimit: Int { 64 + maximumFrames / 256 }

    enum CreationError: Error { case outOfMemory(neededFrames: Int) }

    enum PopulationError: Error, Equatable {
        /// No free frame for the RAM or for a table.
        case outOfMemory
        /// The domain has `maximumFrames` already.
        case overMaximum
        /// The nested page tables would need more than `tableFrameLimit`.
        case tableLimitReached
        case tooManyForeignMappings
        case frameOutOfRange
        case alreadyPopulated
        case notPopulated
        case occupiedByForeignMapping
        /// Another domain maps the frame: it cannot be taken away now.
        case mappedElsewhere
    }

    private init(nestedPageTable: NestedPageTable, frames: FrameReferences) {
        self.frames = frames
        self.nestedPageTable = nestedPageTable
    }

    /// An empty domain: nested page tables, no RAM yet, max_mem 0.
    convenience init?(format: PageTableFormat, frames: FrameReferences) {
        guard let table = NestedPageTable(format: format, frames: frames) else { return nil }
        self.init(nestedPageTable: table, frames: frames)
    }

    /// What new RAM holds when the domain first runs.
    enum InitialContents {
        /// Every frame zeroed: every domain but dom0.
        case zeroed
        /// Dom0's RAM at boot: frames never handed out since the machine
        /// started are left as they are (FrameSource.allocateDomain0BootFrames).
        case domain0AtBoot
    }

    /// Allocates `bytes` (rounded up to whole frames) of RAM at
    /// guest-physical 0, and makes that the maximum. On failure nothing
    /// stays allocated.
    convenience init(bytes: UInt64, format: PageTableFormat, frames: FrameReferences,
                     contents: InitialContents = .zeroed) throws(CreationError) {
        let count = Int((bytes + 4095) / 4096)
        guard count <= Self.frameLimit,
              let table = NestedPageTable(format: format, frames: frames) else {
            throw .outOfMemory(neededFrames: count)
        }
        self.init(nestedPageTable: table, frames: frames)
        maximumFrames = count
        do {
            try populateFromZero(count: count, contents: contents)
        } catch {
            release()
            throw .outOfMemory(neededFrames: count)
        }
    }

    /// Guest frames 0..<count of a domain that has none yet, one page table
    /// (512 frames) at a time: one walk per table, where `populate(frame:)`
    /// walks three times per frame; and for dom0, runs of host frames at
    /// once. Frame by frame and zeroed, dom0's 64 MiB took 34.6 M
    /// instructions under QEMU -icount; this way 0.36 M.
    private func populateFromZero(count: Int, contents: InitialContents) throws(PopulationError) {
        var frame = 0
        while frame < count {
            let tableEnd = min(count, (frame / 512 + 1) * 512)
            let table: UInt64
            do {
                table = try nestedPageTable.leafTable(for: UInt64(frame) * 4096, tableFrameLimit: tableFrameLimit)
            } catch {
                throw error == .tableLimitReached ? .tableLimitReached : .outOfMemory
            }
            while frame < tableEnd {
                let run = contents == .zeroed ? frames.allocateZeroedFrame().map { ($0, 1) }
                                              : frames.allocateDomain0BootFrames(upTo: tableEnd - frame)
                guard let (first, runLength) = run else { throw .outOfMemory }
                nestedPageTable.setLeafEntries(in: table, guestPhysical: UInt64(frame) * 4096,
                                               hostPhysical: first, count: runLength)
                frame += runLength
                frameCount = frame
                frameEnd = frame
            }
        }
    }

    // MARK: - RAM

    /// Gives guest frame `frame` a fresh zeroed host frame. The domain's
    /// limit is checked before what is at the frame, so a domain at
    /// max_mem hears that whichever frame it names.
    func populate(frame: Int) throws(PopulationError) {
        guard frame >= 0, frame < Self.frameLimit else { throw .frameOutOfRange }
        guard frameCount < maximumFrames else { throw .overMaximum }
        let guestFrame = UInt64(frame)
        guard nestedPageTable.translate(guestFrame * 4096) == nil else {
            throw foreignMapping(at: guestFrame) == nil ? .alreadyPopulated : .occupiedByForeignMapping
        }
        guard let host = frames.allocateZeroedFrame() else { throw .outOfMemory }
        do {
            try nestedPageTable.map(guestPhysical: guestFrame * 4096, hostPhysical: host,
                                    tableFrameLimit: tableFrameLimit)
        } catch {
            frames.freeFrame(host)
            throw error == .tableLimitReached ? .tableLimitReached : .outOfMemory
        }
        frameCount += 1
        frameEnd = max(frameEnd, frame + 1)
    }

    /// Takes guest frame `frame` away (XENMEM_decrease_reservation,
    /// shared_info over RAM). Refused while another domain maps the frame:
    /// freed, it would leave that domain a window onto whatever the frame
    /// is given to next. The caller flushes the vCPUs' nested translations
    /// afterwards.
    func depopulate(frame: Int) throws(PopulationError) {
        guard frame >= 0, let host = hostFrame(of: UInt64(frame)) else { throw .notPopulated }
        guard !frames.isReferenced(host) else { throw .mappedElsewhere }
        nestedPageTable.unmap(guestPhysical: UInt64(frame) * 4096)
        frames.freeFrame(host)
        frameCount -= 1
    }

    /// The host frame behind guest frame `frame`, if it is RAM.
    func hostFrame(of frame: UInt64) -> UInt64? {
        guard frame < UInt64(Self.frameLimit), let host = nestedPageTable.translate(frame * 4096),
              foreignMapping(at: frame) == nil else { return nil }
        return host
    }

    /// Whether anything is behind guest frame `frame`: RAM, or a foreign
    /// (or shared_info) mapping. Where nothing is, an access is MMIO to no
    /// device (UnbackedAccess).
    func hasMapping(atFrame frame: UInt64) -> Bool {
        hostFrame(of: frame) != nil || foreignMappings.contains { $0.guestFrame == frame }
    }

    /// The host-physical address behind a guest-physical one, or nil when
    /// the guest has no RAM there.
    func hostAddress(of guestPhysical: UInt64) -> UInt64? {
        hostFrame(of: guestPhysical / 4096).map { $0 | (guestPhysical & 0xFFF) }
    }

    /// Returns every frame, the RAM and the page tables, to the frame
    /// source. Foreign mappings only drop (their frames are their owners').
    /// A RAM frame another domain still maps goes back when that mapping
    /// does (FrameReferences).
    func release() {
        unmapForeign(ownedBy: nil)
        nestedPageTable.forEachMapping { _, host in frames.freeFrame(host) }
        nestedPageTable.destroy()
        frameCount = 0
        frameEnd = 0
    }

    // MARK: - Foreign mappings

    struct ForeignMapping: Equatable {
        var guestFrame: UInt64
        var owner: UInt16
        var ownerFrame: UInt64
        var hostFrame: UInt64
        var writable = true
        /// Made by GNTTABOP_map_grant_ref: only its unmap removes it
        /// (`unmapGrant`), since the mapper's maptrack and the granter's
        /// entry flags must change with it; other paths leave it alone.
        var isGrant = false
    }

    /// Shows RAM frame `ownerFrame` of `owner` (domain `ownerID`) at
    /// `guestFrame`, which must not be RAM. A foreign mapping already there
    /// is replaced.
    func mapForeign(at guestFrame: UInt64, from owner: DomainMemory, ownerID: UInt16,
                    ownerFrame: UInt64) throws(PopulationError) {
        guard let host = owner.hostFrame(of: ownerFrame) else { throw .notPopulated }
        try addForeignMapping(ForeignMapping(guestFrame: guestFrame, owner: ownerID, ownerFrame: ownerFrame,
                                             hostFrame: host))
    }

    /// Shows a page the hypervisor owns (shared_info) at `guestFrame`, as a
    /// foreign mapping owned by `owner` (DOMID_XEN).
    func mapHypervisorPage(at guestFrame: UInt64, hostFrame: UInt64, owner: UInt16,
                           frameLimit: Int = DomainMemory.frameLimit) throws(PopulationError) {
        try addForeignMapping(ForeignMapping(guestFrame: guestFrame, owner: owner, ownerFrame: 0,
                                             hostFrame: hostFrame), frameLimit: frameLimit)
    }

    /// Shows a granted frame (`hostFrame`, guest frame `ownerFrame` of
    /// domain `ownerID`) at `guestFrame` (below `mappingFrameLimit`), where
    /// nothing may be yet: neither RAM nor another mapping (a grant never
    /// silently replaces one).
    func mapGrant(at guestFrame: UInt64, hostFrame: UInt64, ownerID: UInt16, ownerFrame: UInt64,
                  writable: Bool) throws(PopulationError) {
        guard guestFrame < UInt64(Self.mappingFrameLimit) else { throw .frameOutOfRange }
        guard foreignMapping(at: guestFrame) == nil else { throw .occupiedByForeignMapping }
        try addForeignMapping(ForeignMapping(guestFrame: guestFrame, owner: ownerID, ownerFrame: ownerFrame,
                                             hostFrame: hostFrame, writable: writable, isGrant: true),
                              frameLimit: Self.mappingFrameLimit)
    }

    /// Removes the grant mapping of `hostFrame` at `guestFrame`; false if
    /// that is not what is there.
    @discardableResult
    func unmapGrant(at guestFrame: UInt64, hostFrame: UInt64) -> Bool {
        let place = foreignMappingPosition(guestFrame)
        guard place.found, foreignMappings[place.index].isGrant,
              foreignMappings[place.index].hostFrame == hostFrame else { return false }
        removeForeignMapping(at: place.index)
        return true
    }

    /// The nested table first (the one step that can fail), then the
    /// references: the new one is taken before a replaced one is dropped,
    /// so remapping a frame over itself never lets its count reach 0. A
    /// grant mapping is never replaced.
    private func addForeignMapping(_ mapping: ForeignMapping,
                                   frameLimit: Int = DomainMemory.frameLimit) throws(PopulationError) {
        guard mapping.guestFrame < UInt64(frameLimit) else { throw .frameOutOfRange }
        guard hostFrame(of: mapping.guestFrame) == nil else { throw .alreadyPopulated }
        let place = foreignMappingPosition(mapping.guestFrame)
        guard place.found || foreignMappings.count < Self.maximumForeignMappings else {
            throw .tooManyForeignMappings
        }
        guard !place.found || !foreignMappings[place.index].isGrant else { throw .occupiedByForeignMapping }
        do {
            try nestedPageTable.map(guestPhysical: mapping.guestFrame * 4096, hostPhysical: mapping.hostFrame,
                                    writable: mapping.writable, executable: false, tableFrameLimit: tableFrameLimit)
        } catch {
            throw error == .tableLimitReached ? .tableLimitReached : .outOfMemory
        }
        frames.takeReference(to: mapping.hostFrame)
        if place.found {
            frames.dropReference(to: foreignMappings[place.index].hostFrame)
            foreignMappings[place.index] = mapping
        } else {
            foreignMappings.insert(mapping, at: place.index)
        }
    }

    /// Removes the foreign mapping at `guestFrame`; false if there is none
    /// or it is a grant mapping (`unmapGrant` removes those).
    @discardableResult
    func unmapForeign(at guestFrame: UInt64) -> Bool {
        let place = foreignMappingPosition(guestFrame)
        guard place.found, !foreignMappings[place.index].isGrant else { return false }
        removeForeignMapping(at: place.index)
        return true
    }

    /// Removes every foreign mapping of `owner`'s frames (all of them,
    /// grant mappings too, when nil: the domain is going); returns how many
    /// went. Grant mappings of `owner`'s frames stay: the mapper holds them
    /// until it unmaps, as in Xen, and their references keep the frames.
    @discardableResult
    func unmapForeign(ownedBy owner: UInt16?) -> Int {
        var removed = 0
        var index = foreignMappings.count
        while index > 0 {
            index -= 1
            guard owner == nil || (foreignMappings[index].owner == owner! && !foreignMappings[index].isGrant) else {
                continue
            }
            removeForeignMapping(at: index)
            removed += 1
        }
        return removed
    }

    private func removeForeignMapping(at index: Int) {
        let mapping = foreignMappings.remove(at: index)
        nestedPageTable.unmap(guestPhysical: mapping.guestFrame * 4096)
        frames.dropReference(to: mapping.hostFrame)
    }

    func foreignMapping(at guestFrame: UInt64) -> ForeignMapping? {
        let place = foreignMappingPosition(guestFrame)
        return place.found ? foreignMappings[place.index] : nil
    }

    private func foreignMappingPosition(_ guestFrame: UInt64) -> (found: Bool, index: Int) {
        let index = foreignMappings.lowerBound { $0.guestFrame < guestFrame }
        return (index < foreignMappings.count && foreignMappings[index].guestFrame == guestFrame, index)
    }
}
