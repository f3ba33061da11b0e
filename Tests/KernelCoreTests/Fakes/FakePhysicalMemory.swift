@testable import KernelCore

/// Pretend physical memory for host tests: a host buffer of `frameCount`
/// 4 KiB frames that Core sees at physical addresses `base ..< base + size`,
/// handed out one frame at a time from a free list, with counts and an
/// optional limit so tests can make it run out.
final class FakePhysicalMemory: FrameSource {
    static let frameSize = 4096

    let base: UInt64
    let frameCount: Int
    let buffer: UnsafeMutableRawPointer
    let physicalMemory: PhysicalMemory

    private var freeList: [UInt64]
    private var allocated: Set<UInt64> = []
    private(set) var allocationCount = 0
    private(set) var freeCount = 0
    /// Frees of a frame that was not allocated (double frees, strays).
    private(set) var badFrees: [UInt64] = []
    /// When set, allocations fail once this many more have succeeded.
    var remainingAllocations: Int? = nil

    init(frames: Int, base: UInt64 = 0x10_0000) {
        self.base = base
        self.frameCount = frames
        buffer = UnsafeMutableRawPointer.allocate(byteCount: frames * Self.frameSize, alignment: Self.frameSize)
        // Fill with garbage so "zeroed" frames really had to be zeroed.
        buffer.initializeMemory(as: UInt8.self, repeating: 0xA5, count: frames * Self.frameSize)
        physicalMemory = PhysicalMemory(offset: Int(bitPattern: buffer) - Int(base))
        // Low addresses first, so tests see a predictable order.
        freeList = (0..<frames).reversed().map { base + UInt64($0 * Self.frameSize) }
    }

    deinit { buffer.deallocate() }

    var freeFrames: Int { freeList.count }
    var totalFrames: Int { frameCount }
    var allocatedFrames: Int { allocated.count }

    func allocateZeroedFrame() -> UInt64? {
        if let remaining = remainingAllocations {
            guard remaining > 0 else { return nil }
            remainingAllocations = remaining - 1
        }
        guard let frame = freeList.popLast() else { return nil }
        allocated.insert(frame)
        allocationCount += 1
        physicalMemory.zeroFrame(frame)
        return frame
    }

    func freeFrame(_ address: UInt64) {
        guard allocated.remove(address) != nil else {
            badFrees.append(address)
            return
        }
        freeCount += 1
        freeList.append(address)
    }

    func contains(_ physical: UInt64) -> Bool {
        physical >= base && physical < base + UInt64(frameCount * Self.frameSize)
    }

    func isAllocated(_ frame: UInt64) -> Bool { allocated.contains(frame) }

    /// Raw access to pretend physical memory, for checking what Core wrote.
    func load64(_ physical: UInt64) -> UInt64 { physicalMemory.load64(physical) }

    func bytes(at physical: UInt64, count: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: physicalMemory.pointer(physical), count: count))
    }
}
