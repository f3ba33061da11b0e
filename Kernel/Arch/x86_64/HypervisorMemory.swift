/// Memory that lives as long as the hypervisor (descriptor tables, stacks,
/// VMX and SVM pages).
func allocateZeroed(bytes: Int, alignment: Int) -> UnsafeMutableRawPointer {
    let memory = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: alignment)
    memory.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
    return memory
}

/// The hypervisor's memory is identity-mapped: a pointer is its address.
/// (In the host tests, where nothing is identity-mapped, it is just the
/// pointer's bits, which turn back into the pointer.)
func physicalAddress(_ pointer: UnsafeMutableRawPointer) -> UInt64 {
    UInt64(UInt(bitPattern: pointer))
}
