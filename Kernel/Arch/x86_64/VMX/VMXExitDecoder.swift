/// Turns a VMX exit (the exit-reason field and the exit-information fields
/// of the current VMCS, Intel SDM Vol. 3C, 24.9 and 27.2) into Core's
/// vendor-neutral `VMExit`.
///
/// It reads the exit-information fields through `fields` (VMREAD on the
/// machine, `CurrentVMCS`), and only those the exit needs: so the decoding
/// is plain arithmetic on numbers, and the host tests hand it made-up ones.
enum VMXExitDecoder {
    /// A VM exit: `exitReason` is the whole exit-reason field, bit 31 clear.
    @inline(__always)
    static func decode(exitReason: UInt32, fields: some VMCSReader) -> VMExit {
        let reason = UInt16(truncatingIfNeeded: exitReason)
        let code = UInt64(exitReason)

        // Exits caused by an instruction report its length (SDM 27.2.5);
        // for the others the length field is undefined. The name is looked
        // up inside each case, where the reason is a known constant, so the
        // compiler folds it: no look-up on the way of a CPUID exit.
        func instruction(_ decoded: VMExitReason) -> VMExit {
            VMExit(reason: decoded, instructionLength: UInt8(truncatingIfNeeded: fields.read(.exitInstructionLength)),
                   hardwareName: VMXExitReason.name(reason), hardwareCode: code)
        }
        func event(_ decoded: VMExitReason) -> VMExit {
            VMExit(reason: decoded, instructionLength: 0, hardwareName: VMXExitReason.name(reason), hardwareCode: code)
        }

        switch reason {
        case VMXExitReason.cpuid: return instruction(.cpuid)
        case VMXExitReason.vmcall: return instruction(.hypercall(executionMode(fields)))
        case VMXExitReason.hlt: return instruction(.halt)
        case VMXExitReason.rdmsr: return instruction(.msrRead)
        case VMXExitReason.wrmsr: return instruction(.msrWrite)
        case VMXExitReason.ioInstruction: return instruction(ioPort(fields.read(.exitQualification)))
        case VMXExitReason.controlRegisterAccess:
            return instruction(controlRegisterAccess(fields.read(.exitQualification)))
        case VMXExitReason.eptViolation: return event(nestedPageFault(fields.read(.exitQualification), fields: fields))
        case VMXExitReason.externalInterrupt: return event(.externalInterrupt)
        case VMXExitReason.preemptionTimer: return event(.timer)
        case VMXExitReason.interruptWindow: return event(.interruptWindow)
        case VMXExitReason.tripleFault: return event(.tripleFault)
        case VMXExitReason.taskSwitch: return event(taskSwitch(fields.read(.exitQualification)))
        case VMXExitReason.exceptionOrNMI: return exception(name: VMXExitReason.name(reason), code: code, fields: fields)
        case _ where VMXExitReason.isUnsupportedInstruction(reason): return instruction(.unsupportedInstruction)
        default: return event(.hardware(code: code))
        }
    }

    /// The caller of a VMCALL: CPL is SS.DPL (SDM 24.4.1, access-rights bits
    /// 6:5), long mode is the guest's IA32_EFER.LMA (bit 10).
    static func executionMode(_ fields: some VMCSReader) -> GuestExecutionMode {
        GuestExecutionMode(privilegeLevel: UInt8(truncatingIfNeeded: (fields.read(.guestSSAccessRights) >> 5) & 3),
                           longModeActive: fields.read(.guestEFER) & (1 << 10) != 0)
    }

    /// I/O exit qualification (SDM 27.2.1, table 27-5): bits 2:0 size - 1,
    /// bit 3 direction (1 = IN), bit 4 string (INS/OUTS), bits 31:16 port.
    static func ioPort(_ qualification: UInt64) -> VMExitReason {
        if qualification & (1 << 4) != 0 { return .unsupportedInstruction }
        return .ioPort(port: UInt16(truncatingIfNeeded: qualification >> 16),
                       size: UInt8(qualification & 0x7) + 1,
                       isWrite: qualification & (1 << 3) == 0)
    }

    /// Control-register access exit qualification (SDM 27.2.1, table 27-3):
    /// bits 3:0 the control register, bits 5:4 the access type (0 MOV to
    /// CR, 1 MOV from CR, 2 CLTS, 3 LMSW), bits 11:8 the general register
    /// (its number in the instruction encoding: 0 RAX, ..., 4 RSP, ..., 15
    /// R15). Which accesses exit at all is VMXControlRegisters' choice: MOV
    /// to CR0 or CR4 changing an owned bit, MOV to or from CR3 where the CPU
    /// forces CR3 exiting. CLTS and LMSW exit only for bits we do not own,
    /// CR8 accesses only with controls we do not set.
    static func controlRegisterAccess(_ qualification: UInt64) -> VMExitReason {
        let number = UInt8(qualification & 0xF)
        let register = UInt8((qualification >> 8) & 0xF)
        switch ((qualification >> 4) & 3, number) {
        case (0, 0), (0, 3), (0, 4): return .controlRegisterWrite(number: number, sourceRegister: register)
        case (1, 3): return .controlRegisterRead(number: 3, destinationRegister: register)
        default: return .unsupportedInstruction
        }
    }

    /// EPT-violation exit qualification (SDM 27.2.1, table 27-7): bit 0 the
    /// access was a read, bit 1 a write, bit 2 an instruction fetch; bit 7
    /// the guest-linear address field is valid, and then bit 8 the access
    /// was to the linear address's own translation, not to a guest
    /// paging-structure entry (with bit 7 clear the access was no
    /// instruction's either: PDPTE loading, say). The guest-physical
    /// address is in its own field (SDM 27.2.1). A valid IDT-vectoring
    /// information field means the access was part of delivering an event
    /// (SDM 27.2.4).
    static func nestedPageFault(_ qualification: UInt64, fields: some VMCSReader) -> VMExitReason {
        let throughLinearAddress = qualification & (1 << 7) != 0 && qualification & (1 << 8) != 0
        return .nestedPageFault(
            guestPhysicalAddress: fields.read(.guestPhysicalAddress),
            access: MemoryAccess(read: qualification & 1 != 0,
                                 write: qualification & 2 != 0,
                                 execute: qualification & 4 != 0,
                                 guestPageWalk: !throughLinearAddress,
                                 duringEventDelivery: fields.read32(.idtVectoringInformation) & (1 << 31) != 0))
    }

    /// Task-switch exit qualification (SDM 27.2.1, table 27-2): bits 15:0
    /// the selector of the new TSS, bits 31:30 its source (CALL, IRET, JMP,
    /// a task gate). VMX exits on every task switch (SDM 25.1.2).
    static func taskSwitch(_ qualification: UInt64) -> VMExitReason {
        .taskSwitch(selector: UInt16(truncatingIfNeeded: qualification))
    }

    /// VM-exit interruption information (SDM 24.9.2, table 24-17): bits 7:0
    /// vector, 10:8 type (2 = NMI), 11 error code valid (the code in its own
    /// field). With an empty exception bitmap only NMIs exit here, and an NMI
    /// is the machine's, not the guest's: like an external interrupt, Core
    /// just runs the guest again.
    private static func exception(name: StaticString, code: UInt64, fields: some VMCSReader) -> VMExit {
        let information = fields.read32(.exitInterruptionInformation)
        if (information >> 8) & 7 == 2 {
            return VMExit(reason: .externalInterrupt, instructionLength: 0, hardwareName: "NMI", hardwareCode: code)
        }
        let vector = UInt8(truncatingIfNeeded: information)
        let errorCode: UInt32? = information & (1 << 11) != 0 ? fields.read32(.exitInterruptionErrorCode) : nil
        // Software exceptions (INT3, INTO: type 6, and INT1: type 5) come from
        // an instruction, whose length matters if Core delivers them back.
        let type = (information >> 8) & 7
        let length = type == 5 || type == 6 ? UInt8(truncatingIfNeeded: fields.read(.exitInstructionLength)) : 0
        return VMExit(reason: .exception(vector: vector, errorCode: errorCode), instructionLength: length,
                      hardwareName: name, hardwareCode: code)
    }

    // MARK: - Failed entries

    /// VMLAUNCH/VMRESUME returned instead of entering (`vmx_enter` status):
    /// with VMfailValid the VM-instruction error says why (`instructionError`);
    /// with VMfailInvalid there is no current VMCS to ask (nil).
    static func failedEntry(instructionError error: UInt32?) -> VMExit {
        guard let error else {
            return VMExit(reason: .hardware(code: 0), instructionLength: 0,
                          hardwareName: "VM entry failed: no valid current VMCS (VMfailInvalid)", hardwareCode: 0)
        }
        return VMExit(reason: .hardware(code: UInt64(error)), instructionLength: 0,
                      hardwareName: VMXExitReason.instructionErrorName(error), hardwareCode: UInt64(error))
    }

    /// The entry got as far as loading the guest and then failed: an exit
    /// with bit 31 set (invalid guest state, MSR loading, machine check).
    static func failedGuestEntry(exitReason: UInt32) -> VMExit {
        VMExit(reason: .hardware(code: UInt64(exitReason)), instructionLength: 0,
               hardwareName: VMXExitReason.name(UInt16(truncatingIfNeeded: exitReason)),
               hardwareCode: UInt64(exitReason))
    }
}
