import XCTest
@testable import KernelCore

/// SVMExitDecoder against the exit codes of AMD APM Vol. 2, appendix C, and
/// the EXITINFO formats of 15.10.2 (IOIO) and 15.25.6 (nested page fault).
final class SVMExitDecoderTests: XCTestCase {
    private let fake = FakeVMCB()

    private func decode(_ code: UInt64, info1: UInt64 = 0, info2: UInt64 = 0,
                        interruptInfo: UInt64 = 0, rip: UInt64 = 0) -> VMExit {
        SVMExitDecoder.decode(fake.exit(code: code, info1: info1, info2: info2, interruptInfo: interruptInfo, rip: rip))
    }

    func testInstructionInterceptsHaveTheirFixedLengths() {
        XCTAssertExit(decode(0x72), .cpuid, length: 2, name: "CPUID", code: 0x72)
        XCTAssertExit(decode(0x78), .halt, length: 1, name: "HLT", code: 0x78)
    }

    /// VMMCALL carries its caller's CPL (the VMCB's CPL byte) and long mode
    /// (EFER.LMA, bit 10, in the save area).
    func testHypercallCarriesTheCallersPrivilegeAndMode() {
        fake.vmcb.write8(VMCB.cpl, 0)
        fake.vmcb.write64(VMCB.efer, (1 << 12) | (1 << 10) | (1 << 8))    // SVME, LMA, LME
        XCTAssertExit(decode(0x81), .hypercall(GuestExecutionMode(privilegeLevel: 0, longModeActive: true)),
                      length: 3, name: "VMMCALL", code: 0x81)
        fake.vmcb.write8(VMCB.cpl, 3)
        fake.vmcb.write64(VMCB.efer, 1 << 12)
        XCTAssertExit(decode(0x81), .hypercall(GuestExecutionMode(privilegeLevel: 3, longModeActive: false)),
                      length: 3, name: "VMMCALL", code: 0x81)
    }

    func testMSRExitInfo1Bit0SaysWrite() {
        XCTAssertExit(decode(0x7C, info1: 0), .msrRead, length: 2, name: "RDMSR", code: 0x7C)
        XCTAssertExit(decode(0x7C, info1: 1), .msrWrite, length: 2, name: "WRMSR", code: 0x7C)
    }

    func testOutByteTakesPortSizeAndLengthFromExitInfo() {
        // OUT DX, AL to 3F8h: TYPE (bit 0) = 0 OUT, SZ8 (bit 4), port in 31:16;
        // EXITINFO2 is the RIP of the next instruction (a 1-byte OUT).
        let exit = decode(0x7B, info1: 0x03F8_0010, info2: 0x1001, rip: 0x1000)
        XCTAssertExit(exit, .ioPort(port: 0x3F8, size: 1, isWrite: true), length: 1, name: "OUT", code: 0x7B)
    }

    func testInWordAndDoubleword() {
        // IN AX, 71h: TYPE = 1, SZ16 (bit 5), 2 bytes long.
        XCTAssertExit(decode(0x7B, info1: 0x0071_0021, info2: 0x2002, rip: 0x2000),
                      .ioPort(port: 0x71, size: 2, isWrite: false), length: 2, name: "IN", code: 0x7B)
        // IN EAX, DX from CFCh: SZ32 (bit 6).
        XCTAssertExit(decode(0x7B, info1: 0x0CFC_0041, info2: 0x3001, rip: 0x3000),
                      .ioPort(port: 0xCFC, size: 4, isWrite: false), length: 1, name: "IN", code: 0x7B)
    }

    func testIOLengthIsZeroWhenNextRIPIsNotJustAhead() {
        XCTAssertEqual(decode(0x7B, info1: 0x0080_0010, info2: 0x1000, rip: 0x1000).instructionLength, 0)
        XCTAssertEqual(decode(0x7B, info1: 0x0080_0010, info2: 0x0FFF, rip: 0x1000).instructionLength, 0)
        XCTAssertEqual(decode(0x7B, info1: 0x0080_0010, info2: 0x1010, rip: 0x1000).instructionLength, 0)
        XCTAssertEqual(decode(0x7B, info1: 0x0080_0010, info2: 0x100F, rip: 0x1000).instructionLength, 15)
    }

    func testStringIOIsUnsupported() {
        // OUTSB to port 80h: STR (bit 2).
        XCTAssertExit(decode(0x7B, info1: 0x0080_0014, info2: 0x1001, rip: 0x1000),
                      .unsupportedInstruction, length: 0, name: "string I/O", code: 0x7B)
    }

    func testNestedPageFaultAccessBits() {
        let address: UInt64 = 0xFEE0_0000
        // Error code 0: a read of a not-present page.
        XCTAssertExit(decode(0x400, info1: 0, info2: address),
                      .nestedPageFault(guestPhysicalAddress: address,
                                       access: MemoryAccess(read: true, write: false, execute: false)),
                      length: 0, name: "NPF", code: 0x400)
        // Bit 1: a write, bit 0 present.
        XCTAssertReason(decode(0x400, info1: 0b11, info2: address).reason,
                        .nestedPageFault(guestPhysicalAddress: address,
                                         access: MemoryAccess(read: false, write: true, execute: false)))
        // Bit 4: an instruction fetch.
        XCTAssertReason(decode(0x400, info1: 1 << 4, info2: address).reason,
                        .nestedPageFault(guestPhysicalAddress: address,
                                         access: MemoryAccess(read: false, write: false, execute: true)))
    }

    func testNestedPageFaultDuringGuestPageWalkAndEventDelivery() {
        // Bit 33: the fault hit the guest's own page-table walk; EXITINTINFO
        // bit 31 (V): an event was being delivered.
        XCTAssertReason(decode(0x400, info1: (1 << 33) | 0b10, info2: 0x5000, interruptInfo: (1 << 31) | 14).reason,
                        .nestedPageFault(guestPhysicalAddress: 0x5000,
                                         access: MemoryAccess(read: false, write: true, execute: false,
                                                              guestPageWalk: true, duringEventDelivery: true)))
    }

    func testControlRegisterWritesNameTheRegisterButNotTheSource() {
        XCTAssertExit(decode(0x14), .controlRegisterWrite(number: 4, sourceRegister: nil),
                      length: 0, name: "CR write", code: 0x14)
        XCTAssertReason(decode(0x10).reason, .controlRegisterWrite(number: 0, sourceRegister: nil))
        XCTAssertReason(decode(0x1F).reason, .controlRegisterWrite(number: 15, sourceRegister: nil))
    }

    func testTaskSwitchSelectorIsExitInfo1Low16() {
        XCTAssertExit(decode(0x7D, info1: 0x0001_0000_0000_0028), .taskSwitch(selector: 0x28),
                      length: 0, name: "task switch", code: 0x7D)
    }

    func testInterruptsAndShutdown() {
        XCTAssertExit(decode(0x60), .externalInterrupt, length: 0, name: "INTR", code: 0x60)
        XCTAssertExit(decode(0x61), .externalInterrupt, length: 0, name: "NMI", code: 0x61)
        XCTAssertExit(decode(0x7F), .tripleFault, length: 0, name: "SHUTDOWN", code: 0x7F)
    }

    func testExceptionVectorIsCodeMinus40hAndErrorCodeIsExitInfo1() {
        XCTAssertExit(decode(0x4E, info1: 0x0000_0000_0000_0006), .exception(vector: 14, errorCode: 6),
                      length: 0, name: "exception", code: 0x4E)
        XCTAssertReason(decode(0x40).reason, .exception(vector: 0, errorCode: 0))
        XCTAssertReason(decode(0x5F, info1: 0xFFFF_FFFF_8000_0001).reason,
                        .exception(vector: 31, errorCode: 0x8000_0001))
    }

    func testInterceptedInstructionsWeDoNotEmulate() {
        // INVD 76h, VMRUN 80h ... SKINIT 86h, MONITOR 8Ah ... XSETBV 8Dh.
        for code: UInt64 in [0x76, 0x80, 0x82, 0x86, 0x8A, 0x8B, 0x8D] {
            XCTAssertExit(decode(code), .unsupportedInstruction, length: 0, name: "intercepted instruction", code: code)
        }
        // 87h (RDTSCP) and 89h (WBINVD) are not in that list.
        XCTAssertReason(decode(0x87).reason, .hardware(code: 0x87))
        XCTAssertReason(decode(0x89).reason, .hardware(code: 0x89))
    }

    func testInvalidVMCBInBothWidths() {
        let name = "VMEXIT_INVALID (the VMCB's guest state was refused)"
        XCTAssertExit(decode(UInt64.max), .hardware(code: UInt64.max), length: 0, name: name, code: UInt64.max)
        XCTAssertExit(decode(0xFFFF_FFFF), .hardware(code: 0xFFFF_FFFF), length: 0, name: name, code: 0xFFFF_FFFF)
    }

    func testUnknownCodeIsReportedAsHardware() {
        XCTAssertExit(decode(0x65), .hardware(code: 0x65), length: 0, name: "unexpected #VMEXIT", code: 0x65)
    }
}
