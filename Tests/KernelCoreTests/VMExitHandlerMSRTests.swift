import XCTest
import XenPublic
@testable import KernelCore

/// RDMSR/WRMSR exits: the hypercall MSR installs the hypercall page,
/// everything else is #GP without moving RIP (the APIC's MSRs:
/// VMExitHandlerAPICTests).
final class VMExitHandlerMSRTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var domU: Domain { fixture.domU }
    private var registers: UnsafeMutablePointer<GuestRegisters> { fixture.registers(domU) }
    private var backend: FakeBackend { fixture.backend }
    private let generalProtection = FakeBackend.InjectedException(vector: 13, errorCode: 0)

    override func setUp() { fixture = HypervisorFixture() }
    override func tearDown() { fixture.release() }

    private func writeMSR(_ msr: UInt32, _ value: UInt64) {
        registers.pointee.rcx = UInt64(msr)
        registers.pointee.rax = 0xFFFF_FFFF_0000_0000 | (value & 0xFFFF_FFFF)    // only EAX counts
        registers.pointee.rdx = value >> 32
        fixture.handler(domU).handle(.make(.msrWrite, length: 2))
    }

    private func readMSR(_ msr: UInt32) {
        registers.pointee.rcx = 0xFFFF_FFFF_0000_0000 | UInt64(msr)
        fixture.handler(domU).handle(.make(.msrRead, length: 2))
    }

    func testPATReadsBackWhatWasWritten() {
        readMSR(0x277)
        XCTAssertEqual(registers.pointee.rdx << 32 | registers.pointee.rax, 0x0007_0406_0007_0406)   // reset value
        writeMSR(0x277, 0x0005_0100_0007_0406)                      // Xen's own choice: WC and WP in the upper half
        XCTAssertEqual(backend.injectedExceptions, [])
        readMSR(0x277)
        XCTAssertEqual(registers.pointee.rax, 0x0007_0406)
        XCTAssertEqual(registers.pointee.rdx, 0x0005_0100)
        XCTAssertEqual(backend.instructionPointerChanges.count, 3)
    }

    func testPATWithAReservedMemoryTypeIsGP() {
        for bad: UInt64 in [0x0000_0000_0000_0002, 0x0300_0000_0000_0000, 0x0000_0000_0800_0000, 0xFF] {
            writeMSR(0x277, bad)
        }
        XCTAssertEqual(backend.injectedExceptions, [FakeBackend.InjectedException](repeating: generalProtection, count: 4))
        XCTAssertEqual(domU.vcpus[0].pageAttributeTable.value, 0x0007_0406_0007_0406)
        XCTAssertEqual(backend.instructionPointerChanges, [])
    }

    func testMiscEnableIsFixed() {
        readMSR(0x1A0)
        XCTAssertEqual(registers.pointee.rax, 0x1801)           // fast strings, BTS and PEBS unavailable
        XCTAssertEqual(registers.pointee.rdx, 0)                // XD disable (bit 34) clear
        writeMSR(0x1A0, 0x1801)                                 // the same value: accepted
        XCTAssertEqual(backend.injectedExceptions, [])
        writeMSR(0x1A0, 0x1801 | 1 << 34)                       // a change: #GP
        writeMSR(0x1A0, 0)
        XCTAssertEqual(backend.injectedExceptions, [generalProtection, generalProtection])
        XCTAssertEqual(backend.instructionPointerChanges.count, 2)
    }

    func testHypercallPageInstall() {
        writeMSR(0x4000_0000, 0x5000)
        XCTAssertEqual(backend.injectedExceptions, [])
        XCTAssertEqual(backend.instructionPointerChanges, [0x10_0002])
        XCTAssertEqual(domU.hypercallPage, 0x5000)
        let page = domU.memory.bytes(at: 0x5000, count: 4096)
        let instruction = backend.hypercallInstruction
        XCTAssertEqual(instruction, [0x0F, 0x01, 0xD9])
        for number in 0..<128 {
            let stub = Array(page[number * 32..<(number + 1) * 32])
            let expected = [0xB8, UInt8(number), 0, 0, 0] + instruction + [0xC3]
            XCTAssertEqual(Array(stub.prefix(expected.count)), expected, "stub \(number)")
            XCTAssertEqual(Array(stub.dropFirst(expected.count)), [UInt8](repeating: 0xCC, count: 32 - expected.count),
                           "padding of stub \(number)")
        }
    }

    func testHypercallPageUsesTheBackendsInstruction() {
        backend.hypercallInstruction = [0x0F, 0x01, 0xC1]          // VMCALL
        writeMSR(0x4000_0000, 0xF_F000)
        XCTAssertEqual(domU.memory.bytes(at: 0xF_F000 + 34 * 32, count: 9), [0xB8, 34, 0, 0, 0, 0x0F, 0x01, 0xC1, 0xC3])
    }

    func testHypercallMSRReadsBackThePage() {
        readMSR(0x4000_0000)
        XCTAssertEqual(registers.pointee.rax, 0)
        XCTAssertEqual(registers.pointee.rdx, 0)
        writeMSR(0x4000_0000, 0x7000)
        registers.pointee.rdx = 0xDEAD
        readMSR(0x4000_0000)
        XCTAssertEqual(registers.pointee.rax, 0x7000)
        XCTAssertEqual(registers.pointee.rdx, 0)
        XCTAssertEqual(backend.instructionPointerChanges, [0x10_0002, 0x10_0004, 0x10_0006])
    }

    func testUnalignedHypercallPageIsGP() {
        writeMSR(0x4000_0000, 0x5008)
        XCTAssertEqual(backend.injectedExceptions, [generalProtection])
        XCTAssertEqual(backend.instructionPointerChanges, [])
        XCTAssertNil(domU.hypercallPage)
        XCTAssertEqual(domU.memory.bytes(at: 0x5000, count: 64), [UInt8](repeating: 0, count: 64))
    }

    func testHypercallPageOutsideRAMIsGP() {
        writeMSR(0x4000_0000, 0x1_0000_5000)
        writeMSR(0x4000_0000, HypervisorFixture.memoryBytes)
        XCTAssertEqual(backend.injectedExceptions, [generalProtection, generalProtection])
        XCTAssertEqual(backend.instructionPointerChanges, [])
        XCTAssertNil(domU.hypercallPage)
    }

    func testDebugControlReadsZeroAndAcceptsLBRAndBTF() {
        registers.pointee.rax = 0xDEAD
        readMSR(0x1D9)
        XCTAssertEqual(registers.pointee.rax, 0)
        XCTAssertEqual(registers.pointee.rdx, 0)
        writeMSR(0x1D9, 0)
        writeMSR(0x1D9, 0b11)                                   // LBR and BTF: accepted, no effect
        XCTAssertEqual(backend.injectedExceptions, [])
        readMSR(0x1D9)
        XCTAssertEqual(registers.pointee.rax, 0)
        writeMSR(0x1D9, 1 << 6)                                 // a bit it does not know: #GP
        writeMSR(0x1D9, 1 << 32)
        XCTAssertEqual(backend.injectedExceptions, [generalProtection, generalProtection])
        XCTAssertEqual(backend.instructionPointerChanges.count, 4)
    }

    func testUnknownMSRsAreGP() {
        readMSR(0x2FF)                                           // MTRR default type: CPUID hides MTRRs
        writeMSR(0xC000_0082, 0x500)                             // LSTAR never exits: not here
        writeMSR(0x4000_0001, 0x5000)
        readMSR(0x900)                                           // just past the x2APIC registers
        XCTAssertEqual(backend.injectedExceptions, [generalProtection, generalProtection, generalProtection,
                                                    generalProtection])
        XCTAssertEqual(backend.instructionPointerChanges, [])
        XCTAssertEqual(registers.pointee.rdx, 0)
        XCTAssertEqual(domU.state, .running)
    }

    // MARK: - EFER (exits on SVM only)

    func testEFERReadsTheGuestsViewAndTakesItsOwnBits() {
        backend.state.efer = 0x500                                  // LME, LMA
        readMSR(0xC000_0080)
        XCTAssertEqual(registers.pointee.rax, 0x500)
        XCTAssertEqual(registers.pointee.rdx, 0)
        backend.state.cr0 = 0x8000_0011                             // paging on: LME may not change
        writeMSR(0xC000_0080, 0xD01)                                // + SCE, NXE
        XCTAssertEqual(backend.state.efer, 0xD01)
        XCTAssertEqual(backend.injectedExceptions, [])
        XCTAssertEqual(backend.instructionPointerChanges.count, 2)
    }

    func testEFERKeepsLMAWhateverTheGuestWrites() {
        backend.state.efer = 0x500
        backend.state.cr0 = 0x8000_0011
        writeMSR(0xC000_0080, 0x100)                                // LMA clear in the value
        XCTAssertEqual(backend.state.efer, 0x500)
        backend.state = GuestControlState(cr0: 0x11, efer: 0)
        writeMSR(0xC000_0080, 0x400)                                // LMA set, paging off
        XCTAssertEqual(backend.state.efer, 0)
    }

    func testEFERReservedBitsAndSVMEAreGP() {
        for value: UInt64 in [1 << 12, 1 << 14, 1 << 32, 1 << 1] {  // SVME, FFXSR, reserved
            writeMSR(0xC000_0080, value)
        }
        XCTAssertEqual(backend.injectedExceptions, Array(repeating: generalProtection, count: 4))
        XCTAssertEqual(backend.state.efer, 0)
        XCTAssertEqual(backend.instructionPointerChanges, [], "RIP stays on the WRMSR")
    }

    func testEFERLongModeEnableMayNotChangeWithPagingOn() {
        backend.state = GuestControlState(cr0: 0x8000_0011, efer: 0)
        writeMSR(0xC000_0080, 0x100)
        XCTAssertEqual(backend.injectedExceptions, [generalProtection])
        backend.state.cr0 = 0x11
        writeMSR(0xC000_0080, 0x100)
        XCTAssertEqual(backend.state.efer, 0x100)
    }
}
