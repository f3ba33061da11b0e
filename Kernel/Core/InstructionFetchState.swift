/// What Core needs to fetch and decode the instruction at a vCPU's RIP
/// (GuestInstruction): the control state, and the code segment, which
/// says how the CPU decodes code. Asked for only on the rare exits where
/// Core decodes (a nested page fault on nothing, a MOV to CR4 without
/// decode assists), so that the control state every hypercall copies stays
/// small.
struct InstructionFetchState {
    var control: GuestControlState
    var codeSegment: CodeSegment

    /// The size of code the CPU runs now (Intel SDM Vol. 3A, 2.2 and 5.2.1):
    /// 64-bit mode is long mode with CS.L; in protected mode (and long
    /// mode's compatibility mode) CS.D picks 32- or 16-bit code; real mode
    /// and virtual-8086 mode (RFLAGS.VM) run 16-bit code.
    var codeSize: CodeSize {
        let protectedMode = control.cr0 & 1 != 0
        let virtual8086 = control.rflags & (1 << 17) != 0
        if !protectedMode || virtual8086 { return .bits16 }
        if control.longModeActive && codeSegment.long { return .bits64 }
        return codeSegment.default32 ? .bits32 : .bits16
    }

    /// Where RIP points, as a linear address: CS.base + RIP. In 64-bit mode
    /// the CPU treats CS.base as 0 (Intel SDM Vol. 3A, 3.4.4); outside it,
    /// linear addresses have 32 bits.
    var instructionPointerLinear: UInt64 {
        codeSize == .bits64 ? control.rip : (codeSegment.base &+ control.rip) & 0xFFFF_FFFF
    }
}

/// CS.base, and CS.L and CS.D from its descriptor (Intel SDM Vol. 3A,
/// 3.4.5): with EFER.LMA they say how the CPU decodes code.
struct CodeSegment {
    var base: UInt64 = 0
    var long = false
    var default32 = false
}
