/// Turns a #VMEXIT's EXITCODE and EXITINFO fields into the normalized
/// `VMExit` (AMD APM Vol. 2, appendix C lists the codes).
///
/// QEMU's SVM has no NRIP-save and no decode assists, so the instruction
/// length comes from what each intercept implies: CPUID, RDMSR and WRMSR
/// are 2 bytes, VMMCALL 3, HLT 1 (none of them takes a prefix in practice;
/// a prefixed one would be re-executed harmlessly or fault in the guest).
/// For IN/OUT the hardware gives the next RIP in EXITINFO2. For a nested
/// page fault and a CR4 write Core decodes the instruction itself.
enum SVMExitDecoder {
    @inline(__always)   // on every exit: no call, no copy of the VMExit
    static func decode(_ vmcb: VMCB) -> VMExit {
        let code = vmcb.read64(VMCB.exitCode)
        let info1 = vmcb.read64(VMCB.exitInfo1)
        let info2 = vmcb.read64(VMCB.exitInfo2)
        switch code {
        case 0x72: return exit(.cpuid, 2, "CPUID", code)
        case 0x81:
            let mode = GuestExecutionMode(privilegeLevel: vmcb.read8(VMCB.cpl),
                                          longModeActive: vmcb.read64(VMCB.efer) & (1 << 10) != 0)
            return exit(.hypercall(mode), 3, "VMMCALL", code)
        case 0x78: return exit(.halt, 1, "HLT", code)
        case 0x7C: return exit(info1 & 1 == 0 ? .msrRead : .msrWrite, 2, info1 & 1 == 0 ? "RDMSR" : "WRMSR", code)
        case 0x7B: return ioExit(info1, nextRIP: info2, rip: vmcb.read64(VMCB.rip), code)
        case 0x400:
            // EXITINFO1 is a page-fault error code: bit 1 write, bit 4 fetch;
            // bit 33 says the fault hit the walk of the guest's page tables.
            // EXITINTINFO bit 31: an event was being delivered (APM 15.7.2).
            let access = MemoryAccess(read: info1 & (1 << 1) == 0 && info1 & (1 << 4) == 0,
                                      write: info1 & (1 << 1) != 0, execute: info1 & (1 << 4) != 0,
                                      guestPageWalk: info1 & (1 << 33) != 0,
                                      duringEventDelivery: vmcb.read64(VMCB.exitInterruptInfo) & (1 << 31) != 0)
            return exit(.nestedPageFault(guestPhysicalAddress: info2, access: access), 0, "NPF", code)
        case 0x10...0x1F:
            // MOV to CRn (n = code - 10h). Without decode assists EXITINFO1
            // does not name the source register: Core decodes the MOV.
            return exit(.controlRegisterWrite(number: UInt8(code - 0x10), sourceRegister: nil), 0, "CR write", code)
        case 0x7D:
            // EXITINFO1 bits 15:0: the selector of the new TSS.
            return exit(.taskSwitch(selector: UInt16(truncatingIfNeeded: info1)), 0, "task switch", code)
        case 0x60: return exit(.externalInterrupt, 0, "INTR", code)
        case 0x61: return exit(.externalInterrupt, 0, "NMI", code)
        case 0x64: return exit(.interruptWindow, 0, "VINTR", code)
        case 0x7F: return exit(.tripleFault, 0, "SHUTDOWN", code)
        case 0x40...0x5F:
            return exit(.exception(vector: UInt8(code - 0x40), errorCode: UInt32(truncatingIfNeeded: info1)),
                        0, "exception", code)
        case 0x76, 0x80...0x86, 0x8A...0x8D:
            // INVD, the SVM instructions, MONITOR/MWAIT, XSETBV.
            return exit(.unsupportedInstruction, 0, "intercepted instruction", code)
        case UInt64.max, 0xFFFF_FFFF:
            // VMEXIT_INVALID is -1; QEMU 7.2 stores it as a 32-bit -1.
            return exit(.hardware(code: code), 0, "VMEXIT_INVALID (the VMCB's guest state was refused)", code)
        default:
            return exit(.hardware(code: code), 0, "unexpected #VMEXIT", code)
        }
    }

    /// EXITINFO1 for IOIO (APM 15.10.2): bit 0 = IN, bit 2 = string,
    /// bits 6:4 = operand size (1, 2 or 4 bytes), bits 31:16 = the port.
    private static func ioExit(_ info: UInt64, nextRIP: UInt64, rip: UInt64, _ code: UInt64) -> VMExit {
        if info & (1 << 2) != 0 {
            return exit(.unsupportedInstruction, 0, "string I/O", code)
        }
        let size: UInt8 = info & (1 << 6) != 0 ? 4 : (info & (1 << 5) != 0 ? 2 : 1)
        let length = nextRIP > rip && nextRIP - rip < 16 ? UInt8(nextRIP - rip) : 0
        return exit(.ioPort(port: UInt16(truncatingIfNeeded: info >> 16), size: size, isWrite: info & 1 == 0),
                    length, info & 1 == 0 ? "OUT" : "IN", code)
    }

    private static func exit(_ reason: VMExitReason, _ length: UInt8, _ name: StaticString, _ code: UInt64) -> VMExit {
        VMExit(reason: reason, instructionLength: length, hardwareName: name, hardwareCode: code)
    }
}
