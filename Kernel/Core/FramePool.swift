/// The `FrameSource` everything in the hypervisor allocates frames from: the
/// frame allocator, plus zeroing through the physical-memory window.
final class FramePool: FrameSource {
    private(set) var allocator: FrameAllocator
    let physicalMemory: PhysicalMemory

    init(allocator: FrameAllocator, physicalMemory: PhysicalMemory) {
        self.allocator = allocator
        self.physicalMemory = physicalMemory
    }

    func allocateZeroedFrame() -> UInt64? {
        guard let frame = allocator.allocate() else { return nil }
        physicalMemory.zeroFrame(frame)
        return frame
    }

    /// Freeing a frame twice or one we never gave out is a hypervisor bug:
    /// it is logged loudly, and the allocator's state is not changed.
    func freeFrame(_ address: UInt64) {
        do {
            try allocator.free(address)
        } catch {
            Log.error("frame pool: bad free of \(hex(address)): \(error)")
        }
    }

    var freeFrames: Int { allocator.freeFrames }
    var totalFrames: Int { allocator.totalFrames }
}
