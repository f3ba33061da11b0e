/// Control-register accesses (exit reason 28). CR0 and CR3 accesses are a
/// VMX artefact (see VMXControlRegisters) and handled here; a MOV to CR4
/// exits only when it sets a bit guests may not set, and goes to Core as
/// `.controlRegisterWrite` (its policy is shared with SVM). What to do is
/// decided from the exit qualification alone (VMXControlRegisterAccess).
enum VMXControlRegisterExit {
    enum Outcome {
        /// Enter the guest again (RIP is where it must be).
        case resume
        /// Not something we emulate: report to Core.
        case unsupported
        /// Core decides (the exit-instruction length is valid for it).
        case forCore(VMExitReason)
    }

    static func handle(_ vcpu: VCPU) -> Outcome {
        let access = VMXControlRegisterAccess(qualification: VMCS.read(.exitQualification))
        switch access.action {
        case .shadowControlRegister0(let register):
            // MOV to CR0 changed a bit we own (such as NE): take the guest's
            // word for its view and run the instruction again; it now passes
            // natively and the CPU does the rest (VMXControlRegisters).
            VMCS.write(.cr0ReadShadow, operand(register, of: vcpu))
            return .resume
        case .writeControlRegister4(let register):
            return .forCore(.controlRegisterWrite(number: 4, sourceRegister: UInt8(register)))
        case .loadControlRegister3(let register):
            return cr3Access(load: true, register: register, vcpu: vcpu)
        case .storeControlRegister3(let register):
            return cr3Access(load: false, register: register, vcpu: vcpu)
        case .unsupported:
            return .unsupported
        }
    }

    /// MOV to/from CR3 exits only if the CPU forces "CR3-load/store exiting"
    /// (no TRUE_ capability MSRs). With EPT the guest's CR3 is just a value;
    /// but a new CR3 under 32-bit PAE paging would also need the four PDPTEs
    /// loaded into the VMCS (SDM 26.3.2.4), which we do not do.
    private static func cr3Access(load: Bool, register: Int, vcpu: VCPU) -> Outcome {
        if load {
            let cr4 = VMCS.read(.guestCR4)
            let cr0 = VMCS.read(.guestCR0)
            let longMode = VMCS.read(.guestEFER) & (1 << 10) != 0
            if cr0 & VMXControlRegisters.cr0Paging != 0 && cr4 & (1 << 5) != 0 && !longMode {
                return .unsupported
            }
            VMCS.write(.guestCR3, operand(register, of: vcpu))
        } else {
            VMXGuestAccess.setRegister(register, of: vcpu, to: VMCS.read(.guestCR3))
        }
        VMXGuestAccess.advanceInstructionPointer(by: VMCS.read(.exitInstructionLength))
        return .resume
    }

    /// The source operand: a 64-bit register in 64-bit mode, else its low half.
    private static func operand(_ register: Int, of vcpu: VCPU) -> UInt64 {
        let value = VMXGuestAccess.register(register, of: vcpu)
        return VMXGuestAccess.in64BitMode ? value : value & 0xFFFF_FFFF
    }
}
