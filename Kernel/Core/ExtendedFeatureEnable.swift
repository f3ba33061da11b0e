/// IA32_EFER (MSR 0xC0000080), where the CPU keeps it for the guest but a
/// backend intercepts it: on SVM (VMRUN needs SVME set in the guest's EFER,
/// and the guest must not see or clear it). On VMX it never exits: the
/// VMCS loads and saves it, and the CPU checks a guest's WRMSR itself.
///
/// The guest owns SCE (bit 0, SYSCALL), LME (bit 8, long mode enable) and
/// NXE (bit 11, no-execute), the bits a PVH kernel uses and the CPUID
/// policy shows on both vendors. LMA (bit 10) is the CPU's: a write keeps
/// its value. Like a CPU, a write of any other bit, or one that changes LME
/// while paging is on, gets #GP (AMD APM Vol. 2, 3.1.7 and 14.6.1).
enum ExtendedFeatureEnable {
    static let msr: UInt32 = 0xC000_0080
    static let systemCallExtensions: UInt64 = 1 << 0
    static let longModeEnable: UInt64 = 1 << 8
    static let longModeActive: UInt64 = 1 << 10
    static let noExecuteEnable: UInt64 = 1 << 11
    static let guestBits = systemCallExtensions | longModeEnable | longModeActive | noExecuteEnable

    /// The value to give the guest for a WRMSR of `value`, or nil for #GP.
    /// `current` is the guest's EFER now, `pagingEnabled` its CR0.PG.
    static func written(_ value: UInt64, current: UInt64, pagingEnabled: Bool) -> UInt64? {
        guard value & ~guestBits == 0 else { return nil }
        if pagingEnabled && (value ^ current) & longModeEnable != 0 { return nil }
        return (value & ~longModeActive) | (current & longModeActive)
    }
}
