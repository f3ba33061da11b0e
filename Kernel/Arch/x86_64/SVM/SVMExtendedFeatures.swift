/// The guest's EFER under SVM. The VMCB keeps it, and VMRUN refuses a guest
/// EFER without SVME; so EFER accesses are intercepted and handled here,
/// never reaching Core: reads hide SVME, writes keep it set. Everything else
/// in EFER (LME, NXE, SCE) is the guest's; LMA is the CPU's.
enum SVMExtendedFeatures {
    private static let msrNumber: UInt64 = 0xC000_0080
    private static let svmEnable: UInt64 = 1 << 12
    private static let longModeActive: UInt64 = 1 << 10

    /// Returns true when the exit was an EFER access and has been handled
    /// (RIP advanced past the 2-byte RDMSR/WRMSR).
    static func handles(_ vcpu: VCPU, _ vmcb: VMCB, isWrite: Bool) -> Bool {
        guard vcpu.registers.pointee.rcx & 0xFFFF_FFFF == msrNumber else { return false }
        let efer = vmcb.read64(VMCB.efer)
        if isWrite {
            let value = (vcpu.registers.pointee.rdx << 32) | (vcpu.registers.pointee.rax & 0xFFFF_FFFF)
            vmcb.write64(VMCB.efer, (value & ~longModeActive) | (efer & longModeActive) | svmEnable)
        } else {
            let visible = efer & ~svmEnable
            vcpu.registers.pointee.rax = visible & 0xFFFF_FFFF
            vcpu.registers.pointee.rdx = visible >> 32
        }
        vmcb.write64(VMCB.rip, vmcb.read64(VMCB.rip) &+ 2)
        return true
    }
}
