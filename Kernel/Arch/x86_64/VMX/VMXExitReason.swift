/// VMX basic exit reasons: bits 15:0 of the exit-reason field (Intel SDM
/// Vol. 3D, Appendix C "VMX basic exit reasons"). Bit 31 of the field set
/// means the VM entry itself failed (SDM 24.9.1, 26.8).
enum VMXExitReason {
    static let exceptionOrNMI: UInt16 = 0
    static let externalInterrupt: UInt16 = 1
    static let tripleFault: UInt16 = 2
    static let interruptWindow: UInt16 = 7
    static let taskSwitch: UInt16 = 9
    static let cpuid: UInt16 = 10
    static let hlt: UInt16 = 12
    static let vmcall: UInt16 = 18
    static let controlRegisterAccess: UInt16 = 28
    static let ioInstruction: UInt16 = 30
    static let rdmsr: UInt16 = 31
    static let wrmsr: UInt16 = 32
    static let invalidGuestState: UInt16 = 33
    static let msrLoading: UInt16 = 34
    static let machineCheckDuringEntry: UInt16 = 41
    static let eptViolation: UInt16 = 48
    static let eptMisconfiguration: UInt16 = 49
    static let preemptionTimer: UInt16 = 52

    static let entryFailureBit: UInt32 = 1 << 31

    /// Instructions that exit (always, or because a default-1 control makes
    /// them) and that we do not emulate: Core sees `.unsupportedInstruction`
    /// (and typically injects #UD or crashes the domain).
    static func isUnsupportedInstruction(_ reason: UInt16) -> Bool {
        switch reason {
        case 11, 13, 14, 15, 16, 17,   // GETSEC, INVD, INVLPG, RDPMC, RDTSC, RSM
             19...27,                  // VMCLEAR ... VMXON
             29, 36, 39, 40,           // MOV DR, MWAIT, MONITOR, PAUSE
             46, 47,                   // descriptor-table accesses
             50, 51, 53, 54, 55,       // INVEPT, RDTSCP, INVVPID, WBINVD, XSETBV
             57, 58, 59, 60, 61,       // RDRAND, INVPCID, VMFUNC, ENCLS, RDSEED
             63, 64, 65, 67, 68:       // XSAVES, XRSTORS, PCONFIG, UMWAIT, TPAUSE
            true
        default:
            false
        }
    }

    /// The SDM's name for a basic exit reason, for reports. Inlined so that
    /// the decoder's name for a known reason is a constant (VMXExitDecoder).
    @inline(__always)
    static func name(_ reason: UInt16) -> StaticString {
        switch reason {
        case 0: "exception or NMI"
        case 1: "external interrupt"
        case 2: "triple fault"
        case 3: "INIT signal"
        case 4: "start-up IPI"
        case 5: "I/O SMI"
        case 6: "other SMI"
        case 7: "interrupt window"
        case 8: "NMI window"
        case 9: "task switch"
        case 10: "CPUID"
        case 11: "GETSEC"
        case 12: "HLT"
        case 13: "INVD"
        case 14: "INVLPG"
        case 15: "RDPMC"
        case 16: "RDTSC"
        case 17: "RSM"
        case 18: "VMCALL"
        case 19: "VMCLEAR"
        case 20: "VMLAUNCH"
        case 21: "VMPTRLD"
        case 22: "VMPTRST"
        case 23: "VMREAD"
        case 24: "VMRESUME"
        case 25: "VMWRITE"
        case 26: "VMXOFF"
        case 27: "VMXON"
        case 28: "control-register access"
        case 29: "MOV DR"
        case 30: "I/O instruction"
        case 31: "RDMSR"
        case 32: "WRMSR"
        case 33: "VM-entry failure: invalid guest state"
        case 34: "VM-entry failure: MSR loading"
        case 36: "MWAIT"
        case 37: "monitor trap flag"
        case 39: "MONITOR"
        case 40: "PAUSE"
        case 41: "VM-entry failure: machine-check event"
        case 43: "TPR below threshold"
        case 44: "APIC access"
        case 45: "virtualized EOI"
        case 46: "access to GDTR or IDTR"
        case 47: "access to LDTR or TR"
        case 48: "EPT violation"
        case 49: "EPT misconfiguration"
        case 50: "INVEPT"
        case 51: "RDTSCP"
        case 52: "VMX-preemption timer expired"
        case 53: "INVVPID"
        case 54: "WBINVD"
        case 55: "XSETBV"
        case 56: "APIC write"
        case 57: "RDRAND"
        case 58: "INVPCID"
        case 59: "VMFUNC"
        case 60: "ENCLS"
        case 61: "RDSEED"
        case 62: "page-modification log full"
        case 63: "XSAVES"
        case 64: "XRSTORS"
        case 65: "PCONFIG"
        case 66: "SPP-related event"
        case 67: "UMWAIT"
        case 68: "TPAUSE"
        default: "unknown VMX exit reason"
        }
    }

    /// The SDM's words for a VM-instruction error number (SDM 31.4, table
    /// 31-1): why VMLAUNCH or VMRESUME failed without entering the guest.
    static func instructionErrorName(_ error: UInt32) -> StaticString {
        switch error {
        case 4: "VM entry failed: VMLAUNCH with non-clear VMCS"
        case 5: "VM entry failed: VMRESUME with non-launched VMCS"
        case 6: "VM entry failed: VMRESUME after VMXOFF"
        case 7: "VM entry failed: invalid control field(s)"
        case 8: "VM entry failed: invalid host-state field(s)"
        case 26: "VM entry failed: events blocked by MOV SS"
        default: "VM entry failed: VM-instruction error"
        }
    }
}
