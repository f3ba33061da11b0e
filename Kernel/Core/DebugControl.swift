/// IA32_DEBUGCTL (MSR 0x1D9): last-branch recording, single-step on
/// branches and the like. Linux touches it on both vendors (AMD names it
/// DBG_CTL_MSR), so a #GP here would be a guest crash.
///
/// Guests get what Xen gives a guest without branch-tracing support: it
/// reads 0; a write of bits this hypervisor knows (LBR, bit 0; BTF, bit 1)
/// is accepted and has no effect; any other bit is #GP, as on hardware
/// where the bit is reserved.
enum DebugControl {
    static let msr: UInt32 = 0x1D9
    static let acceptedBits: UInt64 = 1 << 0 | 1 << 1

    static let value: UInt64 = 0

    static func isAcceptedWrite(_ value: UInt64) -> Bool { value & ~acceptedBits == 0 }
}
