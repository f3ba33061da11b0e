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
/// pointers (paging mode and CR3), to report a crash, and to check the
/// privilege of a hypercall. The backend reads it from the VMCS or VMCB.
/// It is copied on every hypercall, so it holds only that: what decoding
/// an instruction needs besides is `InstructionFetchState`.
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
    var pagingEnabled: Bool { cr0 & (1 << 31) != 0 }
    var longModeActive: Bool { efer & (1 << 10) != 0 }
    var physicalAddressExtension: Bool { cr4 & (1 << 5) != 0 }
    /// CR4.PSE (Intel SDM Vol. 3A, 2.5): 4 MiB pages under 32-bit paging.
    var pageSizeExtension: Bool { cr4 & (1 << 4) != 0 }

}
