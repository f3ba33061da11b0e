import GuestSupport

/// Where the fuzzer's hypercall arguments point, and what they must never
/// point at.
///
/// - The arena (16 pages) holds every structure and buffer the fuzzer hands
///   the hypervisor; the hypervisor may write anything there.
/// - The sacrificial frames (16 pages) are the only RAM the fuzzer lets the
///   hypervisor take away or cover (decrease_reservation, the shared_info
///   and vcpu_info pages): the fuzzer itself never touches them.
/// - Everything else of the image (code, stack, page tables, heap) is
///   protected: no generated value that could be read as an address or a
///   frame number of it is ever passed; it is moved into the arena. So the
///   fuzzer can only be stopped by the hypervisor, never by its own hand.
struct FuzzMemory {
    static let pageCount = 16
    let arena: UInt64
    let sacrificial: UInt64
    let imageStart: UInt64
    /// The protected range ends past the image: the start info and the
    /// memory map follow it.
    let protectedEnd: UInt64
    /// One past the highest RAM address (from the memory map).
    let ramTop: UInt64

    init(ramTop: UInt64) {
        arena = Hypercall.argument(UnsafeMutableRawPointer.allocate(byteCount: Self.pageCount * 4096, alignment: 4096))
        sacrificial = Hypercall.argument(UnsafeMutableRawPointer.allocate(byteCount: Self.pageCount * 4096, alignment: 4096))
        imageStart = guest_image_start()
        protectedEnd = guest_image_end() + 64 * 4096
        self.ramTop = ramTop
    }

    var arenaEnd: UInt64 { arena + UInt64(Self.pageCount * 4096) }
    var sacrificialFrame: UInt64 { sacrificial >> 12 }

    private func isSpared(_ address: UInt64) -> Bool {
        (address >= arena && address < arenaEnd)
            || (address >= sacrificial && address < sacrificial + UInt64(Self.pageCount * 4096))
    }

    /// A value the hypervisor may get: if, as an address or as a frame
    /// number, it lands in the protected range, it is moved into the arena
    /// (or the sacrificial frames) instead.
    func harmless(_ value: UInt64) -> UInt64 {
        if value >= imageStart && value < protectedEnd && !isSpared(value) {
            return arena + (value & 0xFFF)
        }
        let frameEnd = (protectedEnd + 4095) >> 12
        if value >= imageStart >> 12 && value < frameEnd && !isSpared(value << 12) {
            return sacrificialFrame + (value & 0xF)
        }
        return value
    }

    /// Writes 64-bit words at `address` if the whole range is in the arena.
    func store(_ value: UInt64, at address: UInt64) {
        guard address >= arena, address <= arenaEnd - 8 else { return }
        UnsafeMutableRawPointer(bitPattern: UInt(address))!.storeBytes(of: value, as: UInt64.self)
    }

    /// If the frame number stored at `address` (in the arena) is one of
    /// the arena's frames, replaces it with a sacrificial frame.
    func keepOutOfArena(frameAt address: UInt64) {
        guard inArena(address, count: 8) else { return }
        let frame = UnsafeMutableRawPointer(bitPattern: UInt(address))!.loadUnaligned(as: UInt64.self)
        if frame >= arena >> 12 && frame < arenaEnd >> 12 { store(sacrificialFrame + (frame & 0xF), at: address) }
    }

    func inArena(_ address: UInt64, count: UInt64) -> Bool {
        address >= arena && count <= arenaEnd - arena && address <= arenaEnd - count
    }
}
