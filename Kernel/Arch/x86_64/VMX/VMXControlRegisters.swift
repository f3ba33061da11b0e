/// How the guest's CR0 and CR4 are split between what the CPU really runs
/// with and what the guest sees (Intel SDM Vol. 3C, 24.6.6 and 25.3).
///
/// In VMX non-root operation some CR0/CR4 bits are fixed (SDM A.7, A.8):
/// CR0.NE and CR4.VMXE must be 1, and CR0.PE/PG too unless the guest is
/// "unrestricted". A PVH guest expects neither, so:
/// - the real guest CR0/CR4 (VMCS GUEST_CR0/CR4) always have the fixed
///   bits set;
/// - those bits are "owned by the host" in the guest/host masks, so a guest
///   MOV from CR0/CR4 reads them from the read shadows instead: the shadow
///   holds the value the guest last wrote;
/// - a guest MOV to CR0/CR4 that writes a masked bit differently from its
///   shadow exits (reason 28). Core gets it as `.controlRegisterWrite`, and
///   the backend's `writeControlRegister` records the guest's wish in the
///   shadow and lets the guest run the same instruction again, which now
///   passes natively: the CPU applies the unmasked bits with
///   all of its own checks and mode switches (long mode, PAE PDPTEs) and
///   leaves the masked bits (the fixed ones) as they are.
///
/// CR4 also masks every bit ControlRegister4Policy does not permit (the
/// reserved ones, and those of features guests are not shown): a MOV to
/// CR4 that sets one exits too, reaches Core as `.controlRegisterWrite`,
/// and gets #GP there. Writes of permitted bits never exit; the CPU checks
/// them itself by the same rules.
struct VMXControlRegisters {
    static let cr0ProtectionEnable: UInt64 = 1 << 0
    static let cr0ExtensionType: UInt64 = 1 << 4
    static let cr0Paging: UInt64 = 1 << 31

    /// CR0 bits VMX forces to 1, and so owns: FIXED0 without PE and PG,
    /// which unrestricted guest frees (SDM 26.3.1.1).
    let cr0Mask: UInt64
    /// CR4 bits VMX forces to 1 (CR4.VMXE, SDM 23.8).
    let cr4Fixed: UInt64
    /// CR4 bits the host owns: the fixed ones, and, once Core has named the
    /// bits guests may set (permitControlRegister4), every other bit.
    private(set) var cr4Mask: UInt64

    init(_ capabilities: VMXCapabilities) {
        cr0Mask = capabilities.cr0Fixed0 & ~(Self.cr0ProtectionEnable | Self.cr0Paging)
        cr4Fixed = capabilities.cr4Fixed0
        cr4Mask = capabilities.cr4Fixed0
    }

    /// Owns every CR4 bit outside `permitted`, so that setting one exits.
    mutating func permitControlRegister4(_ permitted: UInt64) {
        cr4Mask = cr4Fixed | ~permitted
    }

    /// The CR0 the CPU runs the guest with, for the value the guest wants.
    func realCR0(guestView: UInt64) -> UInt64 { guestView | cr0Mask }

    func realCR4(guestView: UInt64) -> UInt64 { guestView | cr4Fixed }

    /// What the guest reads: its own bits, and the shadow where we own them.
    static func guestView(real: UInt64, shadow: UInt64, mask: UInt64) -> UInt64 {
        (real & ~mask) | (shadow & mask)
    }
}
