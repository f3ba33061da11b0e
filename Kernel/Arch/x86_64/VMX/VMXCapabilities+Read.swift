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

extension VMXControlCapability {
    /// Reads the capability MSR `msr`.
    init(msr: UInt32) {
        self.init(msrValue: msr_read(msr))
    }
}

extension VMXCapabilities {
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
}
