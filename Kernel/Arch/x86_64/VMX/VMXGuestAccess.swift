/// Small operations on the guest of the *current* VMCS, shared by the
/// backend's protocol methods and the exits it handles itself.
enum VMXGuestAccess {
    /// Interruptibility state bits 0 and 1: blocking by STI and by MOV SS
    /// (SDM 24.4.2, table 24-3).
    private static let interruptShadow: UInt32 = 0b11

    /// Moves RIP, as after emulating an instruction. The one-instruction
    /// interrupt shadow of a preceding STI or MOV SS ends with the emulated
    /// instruction, so it is cleared too (SDM 26.3.1.5: an external
    /// interrupt injected while it is set would fail the entry).
    @inline(__always)
    static func setInstructionPointer(_ rip: UInt64) {
        VMCS.write(.guestRIP, rip)
        let interruptibility = VMCS.read32(.guestInterruptibility)
        if interruptibility & interruptShadow != 0 {
            VMCS.write(.guestInterruptibility, interruptibility & ~interruptShadow)
        }
    }

    @inline(__always)
    static func advanceInstructionPointer(by length: UInt64) {
        setInstructionPointer(VMCS.read(.guestRIP) &+ length)
    }

    /// Queues a hardware exception for the next VM entry through the VM-entry
    /// interruption-information field (SDM 24.8.3, table 24-16): bits 7:0
    /// vector, 10:8 type (3 = hardware exception, 2 = NMI), 11 deliver an
    /// error code, 31 valid. VM entry insists (SDM 26.2.1.3) that an error
    /// code is delivered exactly for #DF, #TS, #NP, #SS, #GP, #PF and #AC,
    /// and never while the guest runs with CR0.PE = 0.
    static func injectException(vector: UInt8, errorCode: UInt32?) {
        let type: UInt32 = vector == 2 ? 2 : 3
        var information = UInt32(vector) | (type << 8) | (1 << 31)
        let protectedMode = VMCS.read(.guestCR0) & VMXControlRegisters.cr0ProtectionEnable != 0
        if protectedMode && exceptionHasErrorCode(vector) {
            information |= 1 << 11
            VMCS.write(.entryExceptionErrorCode, errorCode ?? 0)
        }
        VMCS.write(.entryInterruptionInformation, information)
    }

    static func exceptionHasErrorCode(_ vector: UInt8) -> Bool {
        switch vector {
        case 8, 10, 11, 12, 13, 14, 17: true
        default: false
        }
    }

    /// 64-bit mode: long mode active and a CS with the L bit (SDM Vol. 3A 2.2).
    /// Outside it, instructions use 32-bit registers.
    static var in64BitMode: Bool {
        VMCS.read(.guestEFER) & (1 << 10) != 0
            && VMCS.read32(.guestCSAccessRights) & VMXGuestState.AccessRights.longModeBit != 0
    }

    // MARK: - General registers by instruction encoding

    /// The register an exit qualification names by `number`, the way
    /// instructions encode it (GuestRegisters+Encoding); RSP (4) is the VMCS's.
    static func register(_ number: Int, of vcpu: VCPU) -> UInt64 {
        vcpu.registers.pointee.value(encoded: UInt8(number & 15)) ?? VMCS.read(.guestRSP)
    }

    static func setRegister(_ number: Int, of vcpu: VCPU, to value: UInt64) {
        if !vcpu.registers.pointee.set(encoded: UInt8(number & 15), to: value) {
            VMCS.write(.guestRSP, value)
        }
    }
}
