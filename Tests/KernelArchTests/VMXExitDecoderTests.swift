import XCTest
@testable import KernelCore

/// VMXExitDecoder against the basic exit reasons (Intel SDM Vol. 3D,
/// appendix C) and the exit qualifications of SDM 27.2.1, with a FakeVMCS
/// that also records which fields the decoder reads (each a VMREAD).
final class VMXExitDecoderTests: XCTestCase {
    private func decode(_ reason: UInt32, _ vmcs: FakeVMCS) -> VMExit {
        VMXExitDecoder.decode(exitReason: reason, fields: vmcs)
    }

    func testInstructionExitsTakeTheExitInstructionLength() {
        let cases: [(UInt32, VMExitReason, UInt64, String)] = [
            (10, .cpuid, 2, "CPUID"), (12, .halt, 1, "HLT"),
            (31, .msrRead, 2, "RDMSR"), (32, .msrWrite, 2, "WRMSR"),
        ]
        for (reason, expected, length, name) in cases {
            let vmcs = FakeVMCS([.exitInstructionLength: length])
            XCTAssertExit(decode(reason, vmcs), expected, length: UInt8(length), name: name, code: UInt64(reason))
            XCTAssertEqual(vmcs.reads, [.exitInstructionLength])
        }
    }

    /// VMCALL carries its caller's CPL (SS.DPL, access rights bits 6:5) and
    /// long mode (the guest's IA32_EFER.LMA).
    func testHypercallCarriesTheCallersPrivilegeAndMode() {
        let kernel = FakeVMCS([.exitInstructionLength: 3, .guestSSAccessRights: 0xC093, .guestEFER: 0xD01])
        XCTAssertExit(decode(18, kernel), .hypercall(GuestExecutionMode(privilegeLevel: 0, longModeActive: true)),
                      length: 3, name: "VMCALL", code: 18)
        let user32 = FakeVMCS([.exitInstructionLength: 3, .guestSSAccessRights: 0xC0F3, .guestEFER: 0])
        XCTAssertExit(decode(18, user32), .hypercall(GuestExecutionMode(privilegeLevel: 3, longModeActive: false)),
                      length: 3, name: "VMCALL", code: 18)
    }

    func testOutByteQualification() {
        // OUT DX, AL to 3F8h: size - 1 = 0, direction (bit 3) 0 = OUT, port 31:16.
        let vmcs = FakeVMCS([.exitQualification: 0x03F8_0000, .exitInstructionLength: 1])
        XCTAssertExit(decode(30, vmcs), .ioPort(port: 0x3F8, size: 1, isWrite: true),
                      length: 1, name: "I/O instruction", code: 30)
    }

    func testInWordAndDoublewordQualification() {
        // IN AX, 71h: size - 1 = 1, bit 3 IN, bit 6 immediate operand.
        XCTAssertReason(VMXExitDecoder.ioPort(0x0071_0049), .ioPort(port: 0x71, size: 2, isWrite: false))
        // IN EAX, DX from CFCh: size - 1 = 3.
        XCTAssertReason(VMXExitDecoder.ioPort(0x0CFC_000B), .ioPort(port: 0xCFC, size: 4, isWrite: false))
    }

    func testStringIOIsUnsupported() {
        // REP OUTSB to 80h: bit 4 string, bit 5 REP.
        let vmcs = FakeVMCS([.exitQualification: 0x0080_0030, .exitInstructionLength: 2])
        XCTAssertExit(decode(30, vmcs), .unsupportedInstruction, length: 2, name: "I/O instruction", code: 30)
    }

    func testEPTViolationWriteThroughTheLinearAddress() {
        // Bit 1 write, bit 7 linear address valid, bit 8 the access was to it.
        let vmcs = FakeVMCS([.exitQualification: 0x182, .guestPhysicalAddress: 0xFEE0_0030,
                             .idtVectoringInformation: 0])
        XCTAssertExit(decode(48, vmcs),
                      .nestedPageFault(guestPhysicalAddress: 0xFEE0_0030,
                                       access: MemoryAccess(read: false, write: true, execute: false)),
                      length: 0, name: "EPT violation", code: 48)
        XCTAssertEqual(vmcs.reads, [.exitQualification, .guestPhysicalAddress, .idtVectoringInformation])
    }

    func testEPTViolationInTheGuestPageWalkDuringEventDelivery() {
        // Bit 0 read, bit 7 set but bit 8 clear: a paging-structure entry.
        // IDT-vectoring information valid (bit 31): delivering #PF (vector 14).
        let vmcs = FakeVMCS([.exitQualification: 0x81, .guestPhysicalAddress: 0x7000,
                             .idtVectoringInformation: 0x8000_0B0E])
        XCTAssertReason(decode(48, vmcs).reason,
                        .nestedPageFault(guestPhysicalAddress: 0x7000,
                                         access: MemoryAccess(read: true, write: false, execute: false,
                                                              guestPageWalk: true, duringEventDelivery: true)))
    }

    func testEPTViolationFetchWithoutLinearAddressIsAPageWalk() {
        // Bit 2 fetch, bit 7 clear (PDPTE loading, say).
        let vmcs = FakeVMCS([.exitQualification: 0x4, .guestPhysicalAddress: 0x3000, .idtVectoringInformation: 0])
        XCTAssertReason(decode(48, vmcs).reason,
                        .nestedPageFault(guestPhysicalAddress: 0x3000,
                                         access: MemoryAccess(read: false, write: false, execute: true,
                                                              guestPageWalk: true)))
    }

    func testEventExitsReadNoField() {
        let cases: [(UInt32, VMExitReason, String)] = [
            (1, .externalInterrupt, "external interrupt"), (52, .timer, "VMX-preemption timer expired"),
            (2, .tripleFault, "triple fault"),
        ]
        for (reason, expected, name) in cases {
            let vmcs = FakeVMCS()
            XCTAssertExit(decode(reason, vmcs), expected, length: 0, name: name, code: UInt64(reason))
            XCTAssertEqual(vmcs.reads, [])
        }
    }

    func testTaskSwitchSelector() {
        // Bits 31:30 = 1: the switch came from IRET; new TSS selector 28h.
        let vmcs = FakeVMCS([.exitQualification: 0x4000_0028])
        XCTAssertExit(decode(9, vmcs), .taskSwitch(selector: 0x28), length: 0, name: "task switch", code: 9)
    }

    func testNMIIsTheMachinesInterrupt() {
        // Vector 2, type 2 (NMI), valid.
        let vmcs = FakeVMCS([.exitInterruptionInformation: 0x8000_0202])
        XCTAssertExit(decode(0, vmcs), .externalInterrupt, length: 0, name: "NMI", code: 0)
    }

    func testHardwareExceptionWithErrorCode() {
        // #GP: vector 13, type 3, error code valid (bit 11).
        let vmcs = FakeVMCS([.exitInterruptionInformation: 0x8000_0B0D, .exitInterruptionErrorCode: 0x18])
        XCTAssertExit(decode(0, vmcs), .exception(vector: 13, errorCode: 0x18),
                      length: 0, name: "exception or NMI", code: 0)
        XCTAssertEqual(vmcs.reads, [.exitInterruptionInformation, .exitInterruptionErrorCode])
    }

    func testHardwareExceptionWithoutErrorCode() {
        // #UD: vector 6, type 3.
        let vmcs = FakeVMCS([.exitInterruptionInformation: 0x8000_0306])
        XCTAssertReason(decode(0, vmcs).reason, .exception(vector: 6, errorCode: nil))
        XCTAssertEqual(vmcs.reads, [.exitInterruptionInformation])
    }

    func testSoftwareExceptionsKeepTheirInstructionLength() {
        // INT3: vector 3, type 6 (software exception); INT1: vector 1, type 5.
        let int3 = FakeVMCS([.exitInterruptionInformation: 0x8000_0603, .exitInstructionLength: 1])
        XCTAssertExit(decode(0, int3), .exception(vector: 3, errorCode: nil),
                      length: 1, name: "exception or NMI", code: 0)
        let int1 = FakeVMCS([.exitInterruptionInformation: 0x8000_0501, .exitInstructionLength: 1])
        XCTAssertEqual(decode(0, int1).instructionLength, 1)
    }

    func testUnsupportedInstructionsKeepTheirLength() {
        for (reason, name) in [(13, "INVD"), (55, "XSETBV"), (20, "VMLAUNCH"), (29, "MOV DR"), (68, "TPAUSE")] {
            let vmcs = FakeVMCS([.exitInstructionLength: 3])
            XCTAssertExit(decode(UInt32(reason), vmcs), .unsupportedInstruction,
                          length: 3, name: name, code: UInt64(reason))
        }
    }

    func testUnknownAndUnhandledReasonsAreHardware() {
        // Monitor trap flag (37) and unknown reasons read no field.
        for (reason, name) in [(37, "monitor trap flag"), (99, "unknown VMX exit reason")] {
            let vmcs = FakeVMCS()
            XCTAssertExit(decode(UInt32(reason), vmcs), .hardware(code: UInt64(reason)),
                          length: 0, name: name, code: UInt64(reason))
            XCTAssertEqual(vmcs.reads, [])
        }
    }

    func testFailedEntries() {
        XCTAssertExit(VMXExitDecoder.failedEntry(instructionError: nil), .hardware(code: 0), length: 0,
                      name: "VM entry failed: no valid current VMCS (VMfailInvalid)", code: 0)
        XCTAssertExit(VMXExitDecoder.failedEntry(instructionError: 7), .hardware(code: 7), length: 0,
                      name: "VM entry failed: invalid control field(s)", code: 7)
        XCTAssertExit(VMXExitDecoder.failedEntry(instructionError: 8), .hardware(code: 8), length: 0,
                      name: "VM entry failed: invalid host-state field(s)", code: 8)
        // Exit reason 33 with bit 31 set: invalid guest state.
        XCTAssertExit(VMXExitDecoder.failedGuestEntry(exitReason: 0x8000_0021), .hardware(code: 0x8000_0021),
                      length: 0, name: "VM-entry failure: invalid guest state", code: 0x8000_0021)
    }

    func testControlRegisterAccessQualification() {
        let cases: [(UInt64, VMExitReason)] = [
            (0x0000, .controlRegisterWrite(number: 0, sourceRegister: 0)),    // MOV CR0, RAX
            (0x0104, .controlRegisterWrite(number: 4, sourceRegister: 1)),    // MOV CR4, RCX
            (0x0F03, .controlRegisterWrite(number: 3, sourceRegister: 15)),   // MOV CR3, R15
            (0x0313, .controlRegisterRead(number: 3, destinationRegister: 3)), // MOV RBX, CR3
            (0x0010, .unsupportedInstruction),                                // MOV RAX, CR0
            (0x0020, .unsupportedInstruction),                                // CLTS
            (0x0030, .unsupportedInstruction),                                // LMSW
            (0x0008, .unsupportedInstruction),                                // MOV CR8, RAX
        ]
        for (qualification, reason) in cases {
            XCTAssertReason(VMXExitDecoder.controlRegisterAccess(qualification), reason)
        }
        // As a whole exit: an instruction exit, with its length.
        let exit = VMXExitDecoder.decode(exitReason: 28, fields: FakeVMCS([.exitQualification: 0x0104, .exitInstructionLength: 3]))
        XCTAssertExit(exit, .controlRegisterWrite(number: 4, sourceRegister: 1), length: 3,
                      name: "control-register access", code: 28)
    }
}
