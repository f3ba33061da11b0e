/// The registers of a vCPU that the hardware does not switch on VM entry
/// and exit, and that the hypervisor itself never uses: CR2 (on VMX), the
/// SYSCALL MSRs and KERNEL_GS_BASE (on VMX), and TSC_AUX (on both).
///
/// Because the hypervisor never touches them, the CPU can simply hold the
/// running vCPU's values, and the guest may read and write them without an
/// exit. The backend saves them here and loads the next vCPU's only when
/// the physical CPU switches to another vCPU (lazily, as Xen does); while a
/// vCPU is loaded, these fields may be stale. A new vCPU starts with zeros,
/// the values after RESET.
///
/// On SVM, VMRUN already switches CR2 (VMCB) and VMLOAD/VMSAVE the SYSCALL
/// MSRs and KERNEL_GS_BASE, so only TSC_AUX is switched through here. The
/// list of guest-owned MSRs is the same on both vendors (Docs/ABI.md).
struct GuestSystemRegisters {
    var cr2: UInt64 = 0
    /// STAR: SYSCALL/SYSRET segment selectors (and the 32-bit SYSCALL EIP).
    var star: UInt64 = 0
    /// LSTAR: the 64-bit SYSCALL entry point.
    var lstar: UInt64 = 0
    /// CSTAR: the compatibility-mode SYSCALL entry point.
    var cstar: UInt64 = 0
    /// SFMASK: the RFLAGS bits SYSCALL clears.
    var syscallFlagMask: UInt64 = 0
    /// KERNEL_GS_BASE: what SWAPGS exchanges with GS.base.
    var kernelGSBase: UInt64 = 0
    /// TSC_AUX: what RDTSCP (and RDPID) return in ECX.
    var timeStampCounterAux: UInt64 = 0
}
