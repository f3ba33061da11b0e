import Support

/// The VMX capability MSRs the backend reads besides the ones in
/// ModelSpecificRegister (Intel SDM Vol. 3D, Appendix A; MSR numbers in
/// Vol. 4, table 2-2).
enum VMXModelSpecificRegister {
    static let pinBasedControls: UInt32 = 0x481          // IA32_VMX_PINBASED_CTLS
    static let exitControls: UInt32 = 0x483              // IA32_VMX_EXIT_CTLS
    static let entryControls: UInt32 = 0x484             // IA32_VMX_ENTRY_CTLS
    static let miscellaneous: UInt32 = 0x485             // IA32_VMX_MISC
    static let truePinBasedControls: UInt32 = 0x48D      // IA32_VMX_TRUE_PINBASED_CTLS
    static let trueProcessorBasedControls: UInt32 = 0x48E
    static let trueExitControls: UInt32 = 0x48F
    static let trueEntryControls: UInt32 = 0x490

    // Host state the VMCS needs (SDM 24.5); Vol. 4 table 2-2.
    static let sysenterCS: UInt32 = 0x174                // IA32_SYSENTER_CS
    static let sysenterESP: UInt32 = 0x175
    static let sysenterEIP: UInt32 = 0x176
}

/// What one capability MSR says about one 32-bit control field (SDM A.3-A.5):
/// the low half holds the allowed 0-settings (a 1 there means the control
/// must be 1), the high half the allowed 1-settings (a 0 there means it
/// must be 0). VM entry fails if a control breaks either rule.
struct VMXControlCapability {
    var mustBeOne: UInt32
    var mayBeOne: UInt32

    init(msr: UInt32) {
        let value = msr_read(msr)
        mustBeOne = UInt32(truncatingIfNeeded: value)
        mayBeOne = UInt32(truncatingIfNeeded: value >> 32)
    }

    init(mustBeOne: UInt32, mayBeOne: UInt32) {
        self.mustBeOne = mustBeOne
        self.mayBeOne = mayBeOne
    }

    /// The control value with every `required` bit, the `optional` bits the
    /// CPU allows, and the bits it insists on; nil if a required bit is not
    /// allowed.
    func settle(required: UInt32, optional: UInt32 = 0) -> UInt32? {
        guard required & ~mayBeOne == 0 else { return nil }
        return (required | (optional & mayBeOne) | mustBeOne) & mayBeOne
    }

    func allows(_ bits: UInt32) -> Bool { bits & ~mayBeOne == 0 }
}

/// Everything the backend needs to know about this CPU's VMX, read once.
struct VMXCapabilities {
    /// IA32_VMX_BASIC (SDM A.1).
    let basic: UInt64
    let pinBased: VMXControlCapability
    let primary: VMXControlCapability
    let secondary: VMXControlCapability
    let exit: VMXControlCapability
    let entry: VMXControlCapability
    /// IA32_VMX_MISC (SDM A.6).
    let miscellaneous: UInt64
    /// IA32_VMX_EPT_VPID_CAP (SDM A.10); 0 when the CPU has neither EPT nor VPID.
    let ept: UInt64
    /// CR0/CR4 bits fixed in VMX operation (SDM A.7, A.8): a 1 in FIXED0
    /// must be 1, a 0 in FIXED1 must be 0.
    let cr0Fixed0: UInt64
    let cr0Fixed1: UInt64
    let cr4Fixed0: UInt64
    let cr4Fixed1: UInt64

    static func read() -> VMXCapabilities {
        let basic = msr_read(ModelSpecificRegister.vmxBasic)
        // Bit 55: the TRUE_ MSRs exist and tell which "default1" controls
        // (such as CR3-load exiting) may be 0 after all (SDM A.2).
        let hasTrueControls = basic & (1 << 55) != 0
        let primary = VMXControlCapability(msr: hasTrueControls
            ? VMXModelSpecificRegister.trueProcessorBasedControls
            : ModelSpecificRegister.vmxProcessorBasedControls)
        // Bit 63 of the (non-TRUE) primary MSR: "activate secondary controls"
        // may be 1, so IA32_VMX_PROCBASED_CTLS2 exists.
        let hasSecondary = msr_read(ModelSpecificRegister.vmxProcessorBasedControls) & (1 << 63) != 0
        let secondary = hasSecondary
            ? VMXControlCapability(msr: ModelSpecificRegister.vmxSecondaryControls)
            : VMXControlCapability(mustBeOne: 0, mayBeOne: 0)
        let eptOrVPID = secondary.allows(VMXControls.Secondary.enableEPT)
            || secondary.allows(VMXControls.Secondary.enableVPID)
        return VMXCapabilities(
            basic: basic,
            pinBased: VMXControlCapability(msr: hasTrueControls
                ? VMXModelSpecificRegister.truePinBasedControls : VMXModelSpecificRegister.pinBasedControls),
            primary: primary,
            secondary: secondary,
            exit: VMXControlCapability(msr: hasTrueControls
                ? VMXModelSpecificRegister.trueExitControls : VMXModelSpecificRegister.exitControls),
            entry: VMXControlCapability(msr: hasTrueControls
                ? VMXModelSpecificRegister.trueEntryControls : VMXModelSpecificRegister.entryControls),
            miscellaneous: msr_read(VMXModelSpecificRegister.miscellaneous),
            ept: hasSecondary && eptOrVPID ? msr_read(ModelSpecificRegister.vmxEPTCapabilities) : 0,
            cr0Fixed0: msr_read(ModelSpecificRegister.vmxCR0Fixed0),
            cr0Fixed1: msr_read(ModelSpecificRegister.vmxCR0Fixed1),
            cr4Fixed0: msr_read(ModelSpecificRegister.vmxCR4Fixed0),
            cr4Fixed1: msr_read(ModelSpecificRegister.vmxCR4Fixed1))
    }

    /// IA32_VMX_BASIC[30:0]: the revision identifier a VMXON region and every
    /// VMCS must start with.
    var revisionIdentifier: UInt32 { UInt32(truncatingIfNeeded: basic) & 0x7FFF_FFFF }

    var hasEPT: Bool { secondary.allows(VMXControls.Secondary.enableEPT) }
    var hasUnrestrictedGuest: Bool { secondary.allows(VMXControls.Secondary.unrestrictedGuest) }

    /// EPT capabilities (SDM A.10).
    var eptHasFourLevelWalk: Bool { ept & (1 << 6) != 0 }
    var eptHasWriteBack: Bool { ept & (1 << 14) != 0 }
    var hasINVEPT: Bool { ept & (1 << 20) != 0 }
    var hasSingleContextINVEPT: Bool { ept & (1 << 25) != 0 }
    var hasAllContextINVEPT: Bool { ept & (1 << 26) != 0 }

    /// VPID (SDM 28.1): the TLB keeps each vCPU's linear translations under
    /// its own tag, so entries and exits need not flush them. Used only with
    /// INVVPID of one VPID, so a reused tag can be cleaned (bits 32, 41).
    var hasVPID: Bool {
        secondary.allows(VMXControls.Secondary.enableVPID) && ept & (1 << 32) != 0 && ept & (1 << 41) != 0
    }

    /// IA32_VMX_MISC bit 5: VM exits store EFER.LMA into the "IA-32e mode
    /// guest" entry control, as needed when the guest switches to long mode
    /// by itself (SDM A.6). Set on every CPU with unrestricted guest; when
    /// it is not, the backend copies LMA itself after each exit.
    var exitStoresLongModeActive: Bool { miscellaneous & (1 << 5) != 0 }

    /// IA32_VMX_MISC bits 4:0: the preemption timer counts down once every
    /// 2^n TSC ticks.
    var preemptionTimerShift: UInt64 { miscellaneous & 0x1F }
}
