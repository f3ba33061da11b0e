/// How the hypervisor reaches a host-physical address.
///
/// In the hypervisor the first 4 GiB are identity-mapped (Boot.S), so the
/// offset is 0 and an address is its own pointer. Host unit tests back a
/// pretend range of physical memory with an ordinary buffer and set the
/// offset to (buffer address - pretend start).
struct PhysicalMemory {
    var offset: Int = 0

    static let identity = PhysicalMemory(offset: 0)

    func pointer(_ physical: UInt64) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(truncatingIfNeeded: Int(truncatingIfNeeded: physical) &+ offset))!
    }

    func load64(_ physical: UInt64) -> UInt64 {
        pointer(physical).load(as: UInt64.self)
    }

    func load32(_ physical: UInt64) -> UInt32 {
        pointer(physical).load(as: UInt32.self)
    }

    func store64(_ physical: UInt64, _ value: UInt64) {
        pointer(physical).storeBytes(of: value, as: UInt64.self)
    }

    func zeroFrame(_ physical: UInt64) {
        pointer(physical).initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
    }
}

/// Where page tables and guest memory come from: the frame allocator in the
/// hypervisor, a fake in the tests. Class-bound, so Core can hold one
/// without value existentials.
protocol FrameSource: AnyObject {
    /// One 4 KiB frame, zeroed, or nil when memory is exhausted.
    func allocateZeroedFrame() -> UInt64?
    /// Up to `count` contiguous frames (at least one) for dom0's RAM at
    /// boot: zeroed unless nothing of this boot was ever in them (FramePool).
    func allocateDomain0BootFrames(upTo count: Int) -> (first: UInt64, count: Int)?
    func freeFrame(_ address: UInt64)
    var physicalMemory: PhysicalMemory { get }
    /// Frames free now, and all frames there are (sysctl physinfo).
    var freeFrames: Int { get }
    var totalFrames: Int { get }
}

extension FrameSource {
    /// A source that cannot tell (a test's fake) gives one zeroed frame.
    func allocateDomain0BootFrames(upTo count: Int) -> (first: UInt64, count: Int)? {
        allocateZeroedFrame().map { ($0, 1) }
    }
}
