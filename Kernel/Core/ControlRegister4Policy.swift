/// Which values a guest's MOV to CR4 may load, the same on both vendors.
///
/// The rule is CPUIDPolicy's, seen from CR4: a guest may set a CR4 bit only
/// if it was shown the feature the bit enables. Every other bit acts as
/// reserved, and setting it is #GP(0), as on a CPU without that feature
/// (Intel SDM Vol. 3A, 2.5; Vol. 2B, "MOV—Move to/from Control Registers",
/// its exceptions; AMD APM Vol. 2, 3.1.3). On top of that come the rules
/// that depend on the guest's state, from the same places:
/// - only ring 0 writes CR4;
/// - in long mode PAE stays set;
/// - PCIDE can be set only in long mode, and only with CR3[11:0] = 0.
///
/// Never permitted, whatever CPUID says: VMXE and SMXE (no nested VMX or
/// SMX here), LA57 (`GuestMemory` walks 4-level tables only), and the
/// newer bits (Key Locker, CET, PKS, user interrupts, LAM, FRED), which
/// need state or MSRs the hypervisor does not switch; CPUIDPolicy hides
/// their features.
struct ControlRegister4Policy {
    /// The bits a MOV to CR4 may set.
    let permittedBits: UInt64

    /// `guestCPUID` answers as the guest's CPUID does (CPUIDPolicy).
    init(guestCPUID: (UInt32, UInt32) -> CPUIDValues) {
        var bits = Self.performanceCounterEnable
        for feature in Self.features where feature.isShown(by: guestCPUID) {
            bits |= 1 << feature.controlRegisterBit
        }
        permittedBits = bits
    }

    /// Why `value` may not be loaded into CR4 now, or nil when it may.
    func refusal(_ value: UInt64, state: GuestControlState) -> String? {
        if state.privilegeLevel != 0 { return "not in ring 0" }
        let forbidden = value & ~permittedBits
        if forbidden != 0 {
            return "bit \(forbidden.trailingZeroBitCount) is reserved or its feature hidden"
        }
        if state.longModeActive && value & Self.physicalAddressExtension == 0 {
            return "clearing PAE in long mode"
        }
        if value & Self.processContextIdentifiers != 0 {
            if !state.longModeActive { return "PCIDE outside long mode" }
            let settingIt = state.cr4 & Self.processContextIdentifiers == 0
            if settingIt && state.cr3 & 0xFFF != 0 { return "PCIDE with CR3[11:0] not 0" }
        }
        return nil
    }

    static let physicalAddressExtension: UInt64 = 1 << 5
    /// PCE: RDPMC in ring 3. No CPUID flag announces it: every x86-64 CPU
    /// has RDPMC, so the bit is always permitted.
    static let performanceCounterEnable: UInt64 = 1 << 8
    static let processContextIdentifiers: UInt64 = 1 << 17

    // MARK: - Bits and the features that show them

    enum CPUIDRegister { case ebx, ecx, edx }

    /// A CR4 bit, and the CPUID flag of the feature it enables.
    struct Feature {
        var controlRegisterBit: UInt64
        var leaf: UInt32
        var register: CPUIDRegister
        var flag: UInt32

        func isShown(by cpuid: (UInt32, UInt32) -> CPUIDValues) -> Bool {
            let values = cpuid(leaf, 0)
            let word = switch register {
            case .ebx: values.ebx
            case .ecx: values.ecx
            case .edx: values.edx
            }
            return word & (1 << flag) != 0
        }
    }

    /// Intel SDM Vol. 3A, 2.5 (CR4) and Vol. 2A, CPUID (the flags).
    static let features: [Feature] = [
        Feature(controlRegisterBit: 0, leaf: 1, register: .edx, flag: 1),     // VME: VME
        Feature(controlRegisterBit: 1, leaf: 1, register: .edx, flag: 1),     // PVI: VME
        Feature(controlRegisterBit: 2, leaf: 1, register: .edx, flag: 4),     // TSD: TSC
        Feature(controlRegisterBit: 3, leaf: 1, register: .edx, flag: 2),     // DE: DE
        Feature(controlRegisterBit: 4, leaf: 1, register: .edx, flag: 3),     // PSE: PSE
        Feature(controlRegisterBit: 5, leaf: 1, register: .edx, flag: 6),     // PAE: PAE
        Feature(controlRegisterBit: 6, leaf: 1, register: .edx, flag: 7),     // MCE: MCE
        Feature(controlRegisterBit: 7, leaf: 1, register: .edx, flag: 13),    // PGE: PGE
        Feature(controlRegisterBit: 9, leaf: 1, register: .edx, flag: 24),    // OSFXSR: FXSR
        Feature(controlRegisterBit: 10, leaf: 1, register: .edx, flag: 25),   // OSXMMEXCPT: SSE
        Feature(controlRegisterBit: 11, leaf: 7, register: .ecx, flag: 2),    // UMIP: UMIP
        Feature(controlRegisterBit: 16, leaf: 7, register: .ebx, flag: 0),    // FSGSBASE: FSGSBASE
        Feature(controlRegisterBit: 17, leaf: 1, register: .ecx, flag: 17),   // PCIDE: PCID
        Feature(controlRegisterBit: 18, leaf: 1, register: .ecx, flag: 26),   // OSXSAVE: XSAVE
        Feature(controlRegisterBit: 20, leaf: 7, register: .ebx, flag: 7),    // SMEP: SMEP
        Feature(controlRegisterBit: 21, leaf: 7, register: .ebx, flag: 20),   // SMAP: SMAP
        Feature(controlRegisterBit: 22, leaf: 7, register: .ecx, flag: 3),    // PKE: PKU
    ]
}
