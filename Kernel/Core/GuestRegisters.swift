/// The guest's general-purpose registers while it is not running.
///
/// The backend's VM entry stub (assembly) loads them before VMLAUNCH/VMRESUME
/// or VMRUN and stores them after the exit, so the layout is a contract with
/// that assembly: sixteen 64-bit fields in exactly this order, offsets 0x00
/// (rax) to 0x78 (r15). RSP and RIP are not here: the hardware keeps them in
/// the VMCS or VMCB. On SVM the hardware also keeps RAX in the VMCB; the SVM
/// stub copies it here and back, so Core always finds it here.
struct GuestRegisters {
    var rax: UInt64 = 0
    var rbx: UInt64 = 0
    var rcx: UInt64 = 0
    var rdx: UInt64 = 0
    var rsi: UInt64 = 0
    var rdi: UInt64 = 0
    var rbp: UInt64 = 0
    var r8: UInt64 = 0
    var r9: UInt64 = 0
    var r10: UInt64 = 0
    var r11: UInt64 = 0
    var r12: UInt64 = 0
    var r13: UInt64 = 0
    var r14: UInt64 = 0
    var r15: UInt64 = 0
    /// Padding to 128 bytes, for the assembly's sake.
    var reserved: UInt64 = 0
}

/// The guest's control state, as far as Core needs it: to translate guest
/// pointers (paging mode and CR3), to fetch and decode the instruction at
/// RIP (the code segment), to report a crash, and to check the privilege
/// of a hypercall. The backend reads it from the VMCS or VMCB.
struct GuestControlState {
    var rip: UInt64 = 0
    var rsp: UInt64 = 0
    var rflags: UInt64 = 0
    var cr0: UInt64 = 0
    var cr3: UInt64 = 0
    var cr4: UInt64 = 0
    var efer: UInt64 = 0
    /// Current privilege level (0 = guest kernel).
    var privilegeLevel: UInt8 = 0
    /// CS.base, and CS.L and CS.D from its descriptor (Intel SDM Vol. 3A,
    /// 3.4.5): together with EFER.LMA they say how the CPU decodes code.
    var codeSegmentBase: UInt64 = 0
    var codeSegmentLong = false
    var codeSegmentDefault32 = false

    var pagingEnabled: Bool { cr0 & (1 << 31) != 0 }
    var longModeActive: Bool { efer & (1 << 10) != 0 }
    var physicalAddressExtension: Bool { cr4 & (1 << 5) != 0 }
    /// CR4.PSE (Intel SDM Vol. 3A, 2.5): 4 MiB pages under 32-bit paging.
    var pageSizeExtension: Bool { cr4 & (1 << 4) != 0 }

    /// The size of code the CPU runs now (Intel SDM Vol. 3A, 2.2 and 5.2.1):
    /// 64-bit mode is long mode with CS.L; in protected mode (and long
    /// mode's compatibility mode) CS.D picks 32- or 16-bit code; real mode
    /// and virtual-8086 mode (RFLAGS.VM) run 16-bit code.
    var codeSize: CodeSize {
        let protectedMode = cr0 & 1 != 0
        let virtual8086 = rflags & (1 << 17) != 0
        if !protectedMode || virtual8086 { return .bits16 }
        if longModeActive && codeSegmentLong { return .bits64 }
        return codeSegmentDefault32 ? .bits32 : .bits16
    }

    /// Where RIP points, as a linear address: CS.base + RIP. In 64-bit mode
    /// the CPU treats CS.base as 0 (Intel SDM Vol. 3A, 3.4.4); outside it,
    /// linear addresses have 32 bits.
    var instructionPointerLinear: UInt64 {
        codeSize == .bits64 ? rip : (codeSegmentBase &+ rip) & 0xFFFF_FFFF
    }
}
