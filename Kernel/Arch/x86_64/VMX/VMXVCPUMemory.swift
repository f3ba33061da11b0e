/// The memory the VMX backend keeps for each vCPU: its VMCS region (SDM
/// 24.2), one 4 KiB page with the revision identifier in its first four
/// bytes, the rest the CPU's business. `VCPU.controlBlock` is its address.
/// (The guest's x87/SSE state is the vCPU's own: `VCPU.floatingPoint`.)
enum VMXVCPUMemory {
    static let size = 4096

    static func allocate(revisionIdentifier: UInt32) -> UnsafeMutableRawPointer {
        let memory = allocateZeroed(bytes: size, alignment: 4096)
        memory.storeBytes(of: revisionIdentifier, as: UInt32.self)
        return memory
    }
}
