/// Why `FrameAllocator.free` refused an address. The allocator's state is
/// unchanged whenever one of these is thrown.
public enum FrameAllocatorError: Error, Equatable {
    /// The address is not a multiple of the 4 KiB frame size.
    case notFrameAligned(UInt64)
    /// The frame is outside every usable range: firmware-reserved, below
    /// 1 MiB, part of the hypervisor image, or simply not RAM.
    case notManaged(UInt64)
    /// The frame is managed but already free: a double free.
    case alreadyFree(UInt64)
}
