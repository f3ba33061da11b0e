/// The MSR numbers the hypervisor uses, with their names from the Intel SDM
/// Vol. 4 and the AMD APM Vol. 2 (appendix A).
enum ModelSpecificRegister {
    static let apicBase: UInt32 = 0x1B                // IA32_APIC_BASE
    static let featureControl: UInt32 = 0x3A          // IA32_FEATURE_CONTROL
    static let vmxBasic: UInt32 = 0x480               // IA32_VMX_BASIC
    static let vmxProcessorBasedControls: UInt32 = 0x482
    static let vmxCR0Fixed0: UInt32 = 0x486
    static let vmxCR0Fixed1: UInt32 = 0x487
    static let vmxCR4Fixed0: UInt32 = 0x488
    static let vmxCR4Fixed1: UInt32 = 0x489
    static let vmxSecondaryControls: UInt32 = 0x48B   // IA32_VMX_PROCBASED_CTLS2
    static let vmxEPTCapabilities: UInt32 = 0x48C     // IA32_VMX_EPT_VPID_CAP

    static let extendedFeatureEnable: UInt32 = 0xC000_0080   // EFER
    static let syscallTarget: UInt32 = 0xC000_0081           // STAR
    static let longModeSyscallTarget: UInt32 = 0xC000_0082   // LSTAR
    static let compatibilitySyscallTarget: UInt32 = 0xC000_0083  // CSTAR
    static let syscallFlagMask: UInt32 = 0xC000_0084         // SFMASK
    static let kernelGSBase: UInt32 = 0xC000_0102            // KERNEL_GS_BASE
    static let timeStampCounterAux: UInt32 = 0xC000_0103     // TSC_AUX
    static let svmVMCR: UInt32 = 0xC001_0114                 // VM_CR
    static let svmHostSaveArea: UInt32 = 0xC001_0117         // VM_HSAVE_PA
}
