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

    /// Frames for dom0's RAM at boot: up to `count` physically contiguous
    /// ones (at least one), zeroed only if any of them was handed out
    /// before. One never handed out holds what the RAM held when the
    /// machine started: no domain's data, and dom0 is trusted. Xen's PVH
    /// dom0 builder takes its memory unscrubbed too (MEMF_no_scrub); here it
    /// saves zeroing dom0's whole RAM at boot (64 MiB: 16.7 M instructions
    /// under QEMU -icount). Every other frame is zeroed before it is handed
    /// out.
    func allocateDomain0BootFrames(upTo count: Int) -> (first: UInt64, count: Int)? {
        guard let run = allocator.allocateRun(maximum: count) else { return nil }
        if !run.firstUse {
            for index in 0..<UInt64(run.count) { physicalMemory.zeroFrame(run.address + index * 4096) }
        }
        return (run.address, run.count)
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
