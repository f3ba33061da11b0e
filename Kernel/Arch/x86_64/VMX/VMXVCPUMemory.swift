/// The memory the VMX backend keeps for each vCPU: one 8 KiB allocation, so
/// that `VCPU.controlBlock` (the VMCS address) is all the backend needs to
/// find it.
///
///   page 0: the VMCS region (SDM 24.2): the revision identifier in its first
///           four bytes, the rest is the CPU's business;
///   page 1: the guest's x87/SSE state, in FXSAVE format (SDM Vol. 1
///           10.5.1), loaded and saved by VMXEntry.S around every entry.
enum VMXVCPUMemory {
    static let size = 2 * 4096

    static func allocate(revisionIdentifier: UInt32) -> UnsafeMutableRawPointer {
        let memory = allocateZeroed(bytes: size, alignment: 4096)
        memory.storeBytes(of: revisionIdentifier, as: UInt32.self)
        // The x87/SSE state after reset (SDM Vol. 1, table 9-1 / 11.6.4):
        // FCW 037Fh and MXCSR 1F80h mask every floating-point exception; a
        // zero FTW byte marks all x87 registers empty.
        let fxsave = memory + 4096
        fxsave.storeBytes(of: UInt16(0x037F), toByteOffset: 0, as: UInt16.self)
        fxsave.storeBytes(of: UInt32(0x1F80), toByteOffset: 24, as: UInt32.self)
        return memory
    }

    static func fxsaveArea(_ vcpu: VCPU) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(vcpu.controlBlock) + 4096)!
    }

    static func free(_ vcpu: VCPU) {
        UnsafeMutableRawPointer(bitPattern: UInt(vcpu.controlBlock))?.deallocate()
    }
}
