import GuestSupport

/// The instruction that leaves the guest for the hypervisor: Intel's VMCALL
/// or AMD's VMMCALL. The other one is an invalid opcode (#UD) in a guest,
/// so choose by the CPU vendor in CPUID leaf 0.
enum HypercallInstruction {
    case vmcall
    case vmmcall

    /// Decided once: CPUID in a guest is itself a trip to the hypervisor.
    nonisolated(unsafe) private static var decided: HypercallInstruction? = nil

    static var current: HypercallInstruction {
        if let decided { return decided }
        let choice = forVendor(cpuid(0, 0).ebx)
        decided = choice
        return choice
    }

    /// `vendorStart` is CPUID leaf 0's EBX: the first four bytes of the
    /// vendor string. "Auth"enticAMD and "Hygo"nGenuine are AMD designs.
    private static func forVendor(_ vendorStart: UInt32) -> HypercallInstruction {
        let authenticAMD: UInt32 = 0x6874_7541   // "Auth", little-endian
        let hygonGenuine: UInt32 = 0x6F67_7948   // "Hygo"
        return vendorStart == authenticAMD || vendorStart == hygonGenuine ? .vmmcall : .vmcall
    }
}
