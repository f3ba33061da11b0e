import XenPublic

/// A domain's grant table, version 1: the frames of grant_entry_v1 its guest
/// writes (Xen shares them with the guest the same way), and the entries
/// other domains have mapped (`ActiveGrant`).
///
/// The frames are the hypervisor's, taken from the machine's frames (not
/// from the domain's max_mem, as Xen takes them from its own heap), made
/// on demand up to `maximumFrames`: when the guest maps frame `idx`
/// (XENMEM_add_to_physmap, GrantFrameMapping) or asks for a size
/// (GNTTABOP_setup_table). They stay until the domain is destroyed
/// (`release`). Where the guest sees each one is kept in `guestFrames`.
///
/// What a guest can make this cost: `maximumFrames` frames, and one
/// `ActiveGrant` per entry mapped, which other domains' maptrack limits
/// bound (MaptrackTable.maximumMappings each).
final class GrantTable {
    /// Xen's default max_grant_frames is 64; 32 frames (16384 entries) are
    /// plenty for the guests here and halve what a domain can pin.
    static let maximumFrames = 32
    static let entriesPerFrame = 4096 / MemoryLayout<grant_entry_v1>.size

    private let frames: FrameSource
    /// Host frames, in table order.
    private(set) var hostFrames: [UInt64] = []
    /// Where the guest maps each frame, once it did.
    var guestFrames: [UInt64?] = []
    /// Sorted by reference.
    private(set) var activeGrants: [ActiveGrant] = []

    init(frames: FrameSource) {
        self.frames = frames
    }

    var frameCount: Int { hostFrames.count }
    var entryCount: Int { hostFrames.count * Self.entriesPerFrame }

    /// Makes the table at least `count` frames long; false past the limit
    /// or when no frame is left (the frames made so far stay).
    func grow(to count: Int) -> Bool {
        guard count <= Self.maximumFrames else { return false }
        while hostFrames.count < count {
            guard let frame = frames.allocateZeroedFrame() else { return false }
            hostFrames.append(frame)
            guestFrames.append(nil)
        }
        return true
    }

    /// The shared entry `reference` as the guest left it, read once so that
    /// every check sees the same values; nil beyond the table.
    func entry(_ reference: UInt32) -> grant_entry_v1? {
        guard let address = entryAddress(reference) else { return nil }
        return frames.physicalMemory.pointer(address).load(as: grant_entry_v1.self)
    }

    /// Sets or clears GTF_reading/GTF_writing. Only the flags halfword is
    /// written: domid and frame are the guest's.
    func setFlags(_ reference: UInt32, _ bits: UInt16, on: Bool) {
        guard let address = entryAddress(reference) else { return }
        let flags = frames.physicalMemory.pointer(address).assumingMemoryBound(to: UInt16.self)
        flags.pointee = on ? flags.pointee | bits : flags.pointee & ~bits
    }

    private func entryAddress(_ reference: UInt32) -> UInt64? {
        guard Int(reference) < entryCount else { return nil }
        let frame = hostFrames[Int(reference) / Self.entriesPerFrame]
        return frame + UInt64(Int(reference) % Self.entriesPerFrame * MemoryLayout<grant_entry_v1>.size)
    }

    // MARK: - Active entries

    func activeGrant(_ reference: UInt32) -> ActiveGrant? {
        let place = position(of: reference)
        return place.found ? activeGrants[place.index] : nil
    }

    /// One more mapping of `reference`: made active with `first` if it was
    /// not. GTF_reading is set, and GTF_writing for a writable mapping.
    func addMapping(_ reference: UInt32, writable: Bool, first: ActiveGrant) {
        let place = position(of: reference)
        if !place.found { activeGrants.insert(first, at: place.index) }
        activeGrants[place.index].mappings += 1
        if writable { activeGrants[place.index].writableMappings += 1 }
        setFlags(reference, UInt16(GTF_reading) | (writable ? UInt16(GTF_writing) : 0), on: true)
    }

    /// One mapping of `reference` went: GTF_writing clears with the last
    /// writable one, GTF_reading with the last one, which ends the entry's
    /// activity.
    func removeMapping(_ reference: UInt32, writable: Bool) {
        let place = position(of: reference)
        guard place.found else { return }
        activeGrants[place.index].mappings -= 1
        if writable { activeGrants[place.index].writableMappings -= 1 }
        if activeGrants[place.index].writableMappings == 0 { setFlags(reference, UInt16(GTF_writing), on: false) }
        if activeGrants[place.index].mappings == 0 {
            setFlags(reference, UInt16(GTF_reading), on: false)
            activeGrants.remove(at: place.index)
        }
    }

    private func position(of reference: UInt32) -> (found: Bool, index: Int) {
        let index = activeGrants.lowerBound { $0.reference < reference }
        return (index < activeGrants.count && activeGrants[index].reference == reference, index)
    }

    /// Gives the frames back (the domain is being destroyed, its physmap
    /// already released, so no mapping of them is left).
    func release() {
        for frame in hostFrames { frames.freeFrame(frame) }
        hostFrames.removeAll()
        guestFrames.removeAll()
        activeGrants.removeAll()
    }
}
