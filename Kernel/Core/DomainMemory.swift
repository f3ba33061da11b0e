/// A domain's RAM: guest-physical frames, each backed by a host frame (the
/// physical-to-machine map, "P2M"), and the nested page tables that give the
/// hardware the same map.
///
/// RAM is populated frame by frame: all at once for dom0 (`init(bytes:)`),
/// or by dom0's domain builder through XENMEM_populate_physmap for a domU.
/// Besides RAM, a privileged domain may have foreign mappings: frames of
/// another domain shown at guest frames outside its own RAM, which is how
/// dom0 writes a new domain's image.
///
/// Every access the hypervisor makes on a guest's behalf goes through
/// `hostAddress(of:)`, which only knows the domain's own RAM: a guest can
/// only ever make the hypervisor touch its own memory.
final class DomainMemory {
    let nestedPageTable: NestedPageTable
    /// Index: guest frame number. 0: not populated.
    private(set) var hostFrames: [UInt64] = []
    private(set) var populatedFrames = 0
    private(set) var foreignMappings: [ForeignMapping] = []
    private let frames: FrameSource

    /// The most guest frames a domain may have: 4 GiB of guest-physical space.
    static let frameLimit = 1 << 20

    /// Frames of RAM the domain has (Xen's tot_pages).
    var frameCount: Int { populatedFrames }
    /// The end of the RAM area: one past the highest frame ever populated.
    var byteCount: UInt64 { UInt64(hostFrames.count) * 4096 }
    var physicalMemory: PhysicalMemory { frames.physicalMemory }

    enum CreationError: Error { case outOfMemory(neededFrames: Int) }

    enum PopulationError: Error, Equatable {
        case outOfMemory
        case frameOutOfRange
        case alreadyPopulated
        case notPopulated
        case occupiedByForeignMapping
    }

    private init(nestedPageTable: NestedPageTable, frames: FrameSource) {
        self.frames = frames
        self.nestedPageTable = nestedPageTable
    }

    /// An empty domain: nested page tables, no RAM yet.
    convenience init?(format: PageTableFormat, frames: FrameSource) {
        guard let table = NestedPageTable(format: format, frames: frames) else { return nil }
        self.init(nestedPageTable: table, frames: frames)
    }

    /// Allocates `bytes` (rounded up to whole frames) of zeroed RAM at
    /// guest-physical 0. On failure nothing stays allocated.
    convenience init(bytes: UInt64, format: PageTableFormat, frames: FrameSource) throws(CreationError) {
        let count = Int((bytes + 4095) / 4096)
        guard count <= Self.frameLimit,
              let table = NestedPageTable(format: format, frames: frames) else {
            throw .outOfMemory(neededFrames: count)
        }
        self.init(nestedPageTable: table, frames: frames)
        hostFrames.reserveCapacity(count)
        for frame in 0..<count {
            do {
                try populate(frame: frame)
            } catch {
                release()
                throw .outOfMemory(neededFrames: count)
            }
        }
    }

    /// Gives guest frame `frame` a fresh zeroed host frame.
    func populate(frame: Int) throws(PopulationError) {
        guard frame >= 0, frame < Self.frameLimit else { throw .frameOutOfRange }
        if frame < hostFrames.count, hostFrames[frame] != 0 { throw .alreadyPopulated }
        if foreignMappings.contains(where: { $0.guestFrame == UInt64(frame) }) { throw .occupiedByForeignMapping }
        guard let host = frames.allocateZeroedFrame() else { throw .outOfMemory }
        do {
            try nestedPageTable.map(guestPhysical: UInt64(frame) * 4096, hostPhysical: host)
        } catch {
            frames.freeFrame(host)
            throw .outOfMemory
        }
        if frame >= hostFrames.count {
            hostFrames += [UInt64](repeating: 0, count: frame + 1 - hostFrames.count)
        }
        hostFrames[frame] = host
        populatedFrames += 1
    }

    /// Takes guest frame `frame` away (XENMEM_decrease_reservation). The
    /// caller flushes the vCPUs' nested translations afterwards.
    func depopulate(frame: Int) throws(PopulationError) {
        guard frame >= 0, frame < hostFrames.count, hostFrames[frame] != 0 else { throw .notPopulated }
        nestedPageTable.unmap(guestPhysical: UInt64(frame) * 4096)
        frames.freeFrame(hostFrames[frame])
        hostFrames[frame] = 0
        populatedFrames -= 1
    }

    /// The host frame behind guest frame `frame`, if populated.
    func hostFrame(of frame: UInt64) -> UInt64? {
        guard frame < UInt64(hostFrames.count) else { return nil }
        let host = hostFrames[Int(frame)]
        return host == 0 ? nil : host
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

    // MARK: - Foreign mappings

    struct ForeignMapping: Equatable {
        var guestFrame: UInt64
        var owner: UInt16
        var ownerFrame: UInt64
        var hostFrame: UInt64
    }

    /// Shows another domain's frame at `guestFrame`, which must not be RAM.
    /// A foreign mapping already there is replaced.
    func mapForeign(at guestFrame: UInt64, owner: UInt16, ownerFrame: UInt64, hostFrame: UInt64) throws(PopulationError) {
        guard guestFrame < UInt64(Self.frameLimit) else { throw .frameOutOfRange }
        guard self.hostFrame(of: guestFrame) == nil else { throw .alreadyPopulated }
        do {
            try nestedPageTable.map(guestPhysical: guestFrame * 4096, hostPhysical: hostFrame, executable: false)
        } catch {
            throw .outOfMemory
        }
        foreignMappings.removeAll { $0.guestFrame == guestFrame }
        foreignMappings.append(ForeignMapping(guestFrame: guestFrame, owner: owner, ownerFrame: ownerFrame,
                                              hostFrame: hostFrame))
    }

    /// Removes the foreign mapping at `guestFrame`; false if there is none.
    @discardableResult
    func unmapForeign(at guestFrame: UInt64) -> Bool {
        guard let index = foreignMappings.firstIndex(where: { $0.guestFrame == guestFrame }) else { return false }
        nestedPageTable.unmap(guestPhysical: guestFrame * 4096)
        foreignMappings.remove(at: index)
        return true
    }

    /// Removes every foreign mapping of `owner`'s frames (all of them when
    /// nil); returns how many went. Needed before `owner`'s memory is freed.
    @discardableResult
    func unmapForeign(ownedBy owner: UInt16?) -> Int {
        let doomed = foreignMappings.filter { owner == nil || $0.owner == owner! }
        for mapping in doomed { unmapForeign(at: mapping.guestFrame) }
        return doomed.count
    }

    // MARK: - Copying (the domain builder's and the loader's)

    /// Copies bytes into guest-physical RAM; false if any byte would land
    /// outside it (nothing is written then).
    func write(_ bytes: UnsafeRawBufferPointer, at guestPhysical: UInt64) -> Bool {
        guard covers(guestPhysical, count: UInt64(bytes.count)) else { return false }
        var done = 0
        while done < bytes.count {
            let address = guestPhysical + UInt64(done)
            let chunk = min(bytes.count - done, Int(4096 - (address & 0xFFF)))
            physicalMemory.pointer(hostAddress(of: address)!).copyMemory(from: bytes.baseAddress! + done, byteCount: chunk)
            done += chunk
        }
        return true
    }

    func write(_ bytes: [UInt8], at guestPhysical: UInt64) -> Bool {
        bytes.withUnsafeBytes { write($0, at: guestPhysical) }
    }

    /// Zero-fills guest-physical RAM (the ELF loader's .bss).
    func zero(at guestPhysical: UInt64, count: UInt64) -> Bool {
        guard covers(guestPhysical, count: count) else { return false }
        var done: UInt64 = 0
        while done < count {
            let address = guestPhysical + done
            let chunk = min(count - done, 4096 - (address & 0xFFF))
            physicalMemory.pointer(hostAddress(of: address)!).initializeMemory(as: UInt8.self, repeating: 0, count: Int(chunk))
            done += chunk
        }
        return true
    }

    /// Whether every byte of the range is populated RAM.
    func covers(_ guestPhysical: UInt64, count: UInt64) -> Bool {
        guard count > 0 else { return true }
        let (last, overflow) = guestPhysical.addingReportingOverflow(count - 1)
        guard !overflow else { return false }
        var frame = guestPhysical / 4096
        while frame <= last / 4096 {
            guard hostFrame(of: frame) != nil else { return false }
            frame += 1
        }
        return true
    }

    /// Returns every frame, the RAM and the page tables, to the frame source.
    /// Foreign mappings only drop (their frames are their owners').
    func release() {
        foreignMappings.removeAll()
        for frame in hostFrames where frame != 0 { frames.freeFrame(frame) }
        hostFrames.removeAll()
        populatedFrames = 0
        nestedPageTable.destroy()
    }
}
