/// Everything the backend needs to know about this CPU's VMX, read once
/// (`read()`, in VMXCapabilities+Read.swift: the RDMSRs).
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
