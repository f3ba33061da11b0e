/// A domain's RAM: guest-physical frames 0 ..< frameCount, each backed by a
/// host frame (the physical-to-machine map, "P2M"), and the nested page
/// tables that give the hardware the same map.
///
/// Every access the hypervisor makes on a guest's behalf goes through
/// `hostAddress(of:)`, which refuses anything outside the domain's RAM: a
/// guest can only ever make the hypervisor touch its own memory.
final class DomainMemory {
    let nestedPageTable: NestedPageTable
    private(set) var hostFrames: [UInt64] = []
    private let frames: FrameSource

    var frameCount: Int { hostFrames.count }
    var byteCount: UInt64 { UInt64(hostFrames.count) * 4096 }
    var physicalMemory: PhysicalMemory { frames.physicalMemory }

    enum CreationError: Error { case outOfMemory(neededFrames: Int) }

    /// Allocates `bytes` (rounded up to whole frames) of zeroed RAM and maps
    /// it at guest-physical 0. On failure nothing stays allocated.
    init(bytes: UInt64, format: PageTableFormat, frames: FrameSource) throws(CreationError) {
        let count = Int((bytes + 4095) / 4096)
        guard let table = NestedPageTable(format: format, frames: frames) else {
            throw .outOfMemory(neededFrames: count)
        }
        self.frames = frames
        self.nestedPageTable = table
        hostFrames.reserveCapacity(count)
        for index in 0..<count {
            guard let frame = frames.allocateZeroedFrame() else {
                release()
                throw .outOfMemory(neededFrames: count)
            }
            hostFrames.append(frame)
            do {
                try table.map(guestPhysical: UInt64(index) * 4096, hostPhysical: frame)
            } catch {
                release()
                throw .outOfMemory(neededFrames: count)
            }
        }
    }

    /// The host-physical address behind a guest-physical one, or nil when
    /// the guest has no RAM there.
    func hostAddress(of guestPhysical: UInt64) -> UInt64? {
        let frame = guestPhysical / 4096
        guard frame < UInt64(hostFrames.count) else { return nil }
        return hostFrames[Int(frame)] | (guestPhysical & 0xFFF)
    }

    /// Copies bytes into guest-physical memory (used by the domain builder,
    /// so a range problem is the builder's bug or a bad image: it throws).
    func write(_ bytes: UnsafeRawBufferPointer, at guestPhysical: UInt64) -> Bool {
        var done = 0
        while done < bytes.count {
            let address = guestPhysical + UInt64(done)
            guard let host = hostAddress(of: address) else { return false }
            let chunk = min(bytes.count - done, Int(4096 - (address & 0xFFF)))
            physicalMemory.pointer(host).copyMemory(from: bytes.baseAddress! + done, byteCount: chunk)
            done += chunk
        }
        return true
    }

    func write(_ bytes: [UInt8], at guestPhysical: UInt64) -> Bool {
        bytes.withUnsafeBytes { write($0, at: guestPhysical) }
    }

    /// Zero-fills guest-physical memory (the ELF loader's .bss).
    func zero(at guestPhysical: UInt64, count: UInt64) -> Bool {
        var done: UInt64 = 0
        while done < count {
            let address = guestPhysical + done
            guard let host = hostAddress(of: address) else { return false }
            let chunk = min(count - done, 4096 - (address & 0xFFF))
            physicalMemory.pointer(host).initializeMemory(as: UInt8.self, repeating: 0, count: Int(chunk))
            done += chunk
        }
        return true
    }

    /// Returns every frame, the RAM and the page tables, to the frame source.
    func release() {
        for frame in hostFrames { frames.freeFrame(frame) }
        hostFrames.removeAll()
        nestedPageTable.destroy()
    }
}
