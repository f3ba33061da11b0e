import XCTest
@testable import KernelCore

/// MOV to CR4 through `VMExitHandler.handle(_:)`: the SVM way (Core decodes
/// the instruction at RIP), the VMX way (the register comes with the exit,
/// and the guest runs the MOV again), and #GP(0) for refused values; then
/// the CR0 and CR3 accesses that exit on VMX, through the same path.
final class VMExitHandlerControlRegisterTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var domU: Domain { fixture.domU }
    private var registers: UnsafeMutablePointer<GuestRegisters> { fixture.registers(domU) }
    private var backend: FakeBackend { fixture.backend }
    private let code: UInt64 = 0x4000
    private let generalProtection = FakeBackend.InjectedException(vector: 13, errorCode: 0)

    override func setUp() {
        fixture = HypervisorFixture()
        fixture.hostCPUID = { _, _ in CPUIDValues(eax: 0xFFFF_FFFF, ebx: 0xFFFF_FFFF, ecx: 0xFFFF_FFFF, edx: 0xFFFF_FFFF) }
        // A 64-bit guest kernel with PAE, OSFXSR and OSXMMEXCPT on.
        fixture.enterLongMode()
        backend.state = GuestControlState(rip: code, rsp: 0x620, cr0: 0x11, cr4: 0x620, efer: 0x500)
        backend.segment.long = true
    }

    override func tearDown() { fixture.release() }

    /// The SVM way: the exit says only "CR4 written"; `bytes` are at RIP.
    private func writeCR4(_ bytes: [UInt8]) {
        XCTAssertTrue(domU.memory.write(bytes, at: code))
        fixture.handler(domU).handle(.make(.controlRegisterWrite(number: 4, sourceRegister: nil)))
    }

    func testAllowedValueIsWrittenAndRIPMovesPastTheDecodedMOV() {
        registers.pointee.rax = 0x6A0                    // PGE on
        writeCR4([0x0F, 0x22, 0xE0])                     // mov %rax, %cr4
        XCTAssertEqual(backend.controlRegister4Writes, [0x6A0])
        XCTAssertEqual(backend.instructionPointerChanges, [code + 3])
        XCTAssertEqual(backend.injectedExceptions, [])
    }

    func testReservedBitGetsGeneralProtection() {
        registers.pointee.r15 = 0x620 | (1 << 31)
        writeCR4([0x41, 0x0F, 0x22, 0xE7])               // mov %r15, %cr4
        XCTAssertEqual(backend.injectedExceptions, [generalProtection])
        XCTAssertEqual(backend.controlRegister4Writes, [])
        XCTAssertEqual(backend.instructionPointerChanges, [], "RIP stays on the MOV")
        XCTAssertEqual(domU.state, .running)
    }

    func testSourceMayBeTheStackPointer() {
        writeCR4([0x0F, 0x22, 0xE4])                     // mov %rsp, %cr4 (RSP is 0x620 here)
        XCTAssertEqual(backend.controlRegister4Writes, [0x620])
    }

    func testThirtyTwoBitCodeWritesTheLowHalf() {
        backend.state = GuestControlState(rip: code, cr0: 0x11)
        backend.segment.default32 = true
        registers.pointee.rcx = 0xFFFF_FFFF_0000_0020    // PAE; the upper half is not the operand
        writeCR4([0x0F, 0x22, 0xE1])                     // mov %ecx, %cr4
        XCTAssertEqual(backend.controlRegister4Writes, [0x20])
        XCTAssertEqual(backend.instructionPointerChanges, [code + 3])
    }

    func testVMXWayTakesTheRegisterFromTheExitAndRunsTheMOVAgain() {
        backend.controlRegisterCompletion = .executeAgain
        registers.pointee.rbx = 0x6A0
        fixture.handler(domU).handle(.make(.controlRegisterWrite(number: 4, sourceRegister: 3), length: 3))
        XCTAssertEqual(backend.controlRegister4Writes, [0x6A0])
        XCTAssertEqual(backend.instructionPointerChanges, [])
        registers.pointee.rbx = 0x620 | (1 << 13)        // VMXE
        fixture.handler(domU).handle(.make(.controlRegisterWrite(number: 4, sourceRegister: 3), length: 3))
        XCTAssertEqual(backend.injectedExceptions, [generalProtection])
        XCTAssertEqual(backend.controlRegister4Writes, [0x6A0])
    }

    func testAnInstructionThatIsNoMOVToCR4Crashes() {
        writeCR4([0x0F, 0x22, 0xC0])                     // mov %rax, %cr0
        XCTAssertEqual(domU.state, .crashed("CR4 write exit at an instruction that is no MOV to CR4 (not emulated)"))
        backend.state.rip = 0x20_0000                    // outside RAM
        domU.state = .running
        fixture.handler(domU).handle(.make(.controlRegisterWrite(number: 4, sourceRegister: nil)))
        XCTAssertEqual(domU.state, .crashed("MOV to CR4: instruction bytes at linear 0x0000000000200000 unreadable (not emulated)"))
    }

    func testOtherControlRegistersAreNotEmulated() {
        fixture.handler(domU).handle(.make(.controlRegisterWrite(number: 8, sourceRegister: 0), length: 4))
        XCTAssertEqual(domU.state, .crashed("MOV to CR8 (not emulated)"))
        XCTAssertTrue(backend.controlRegisterWrites.isEmpty)
    }

    // MARK: - CR0 and CR3, which only VMX exits on

    func testControlRegister0WriteGoesToTheBackendAndRunsAgain() {
        backend.controlRegisterCompletion = .executeAgain
        registers.pointee.rdx = 0x8000_0031              // PG, NE, ET, PE
        fixture.handler(domU).handle(.make(.controlRegisterWrite(number: 0, sourceRegister: 2), length: 3))
        XCTAssertEqual(backend.controlRegisterWrites.map(\.number), [0])
        XCTAssertEqual(backend.controlRegisterWrites.map(\.value), [0x8000_0031])
        XCTAssertEqual(backend.instructionPointerChanges, [], "the guest runs the MOV again")
        XCTAssertEqual(domU.exitCounters.count(of: .controlRegisterWrite), 1)
    }

    func testControlRegister3WriteIsWrittenAndRIPMoves() {
        registers.pointee.r9 = 0x12_3000
        fixture.handler(domU).handle(.make(.controlRegisterWrite(number: 3, sourceRegister: 9), length: 3))
        XCTAssertEqual(backend.controlRegisterWrites.map(\.number), [3])
        XCTAssertEqual(backend.state.cr3, 0x12_3000)
        XCTAssertEqual(backend.instructionPointerChanges, [code + 3])
        XCTAssertEqual(domU.state, .running)
    }

    func testAWriteTheBackendCannotDoCrashesTheDomain() {
        backend.controlRegisterCompletion = .notEmulated("a new CR3 under PAE paging")
        fixture.handler(domU).handle(.make(.controlRegisterWrite(number: 3, sourceRegister: 0), length: 3))
        XCTAssertEqual(domU.state, .crashed("MOV to CR3: a new CR3 under PAE paging (not emulated)"))
    }

    func testControlRegister3ReadFillsTheDestination() {
        backend.state.cr3 = 0xABC_D000
        fixture.handler(domU).handle(.make(.controlRegisterRead(number: 3, destinationRegister: 11), length: 3))
        XCTAssertEqual(registers.pointee.r11, 0xABC_D000)
        XCTAssertEqual(backend.instructionPointerChanges, [code + 3])
        XCTAssertEqual(domU.exitCounters.count(of: .controlRegisterRead), 1)
        // Into RSP, which the backend keeps.
        fixture.handler(domU).handle(.make(.controlRegisterRead(number: 3, destinationRegister: 4), length: 3))
        XCTAssertEqual(backend.stackPointerChanges, [0xABC_D000])
    }

    func testControlRegister3ReadInThirtyTwoBitCodeIsZeroExtended() {
        backend.state = GuestControlState(rip: code, cr0: 0x8000_0011, cr3: 0x5000)
        backend.segment.long = false
        backend.segment.default32 = true
        registers.pointee.rsi = 0xFFFF_FFFF_FFFF_FFFF
        fixture.handler(domU).handle(.make(.controlRegisterRead(number: 3, destinationRegister: 6), length: 3))
        XCTAssertEqual(registers.pointee.rsi, 0x5000)
    }

    func testReadsOfOtherControlRegistersAreNotEmulated() {
        fixture.handler(domU).handle(.make(.controlRegisterRead(number: 0, destinationRegister: 0), length: 3))
        XCTAssertEqual(domU.state, .crashed("MOV from CR0 (not emulated)"))
    }
}
