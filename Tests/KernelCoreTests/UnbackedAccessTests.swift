import XCTest
@testable import KernelCore

/// Xen's rule for guest-physical space with nothing behind it, through
/// `VMExitHandler.handle(_:)`: the instruction at RIP is fetched from the
/// guest's RAM, decoded and emulated (a load gets all ones, a store goes
/// nowhere), or the domain is crashed with what was not emulated.
final class UnbackedAccessTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var domU: Domain { fixture.domU }
    private var registers: UnsafeMutablePointer<GuestRegisters> { fixture.registers(domU) }
    private var backend: FakeBackend { fixture.backend }

    /// Where the tests put the instruction: in domU's RAM (1 MiB from 0).
    private let code: UInt64 = 0x4000
    /// Above domU's RAM, and the IO-APIC window.
    private let hole: UInt64 = 0x3000_0000
    private let ioAPIC: UInt64 = 0xFEC0_0000
    private let read = MemoryAccess(read: true, write: false, execute: false)
    private let write = MemoryAccess(read: false, write: true, execute: false)
    private let before: UInt64 = 0x1122_3344_5566_7788

    override func setUp() {
        fixture = HypervisorFixture()
        // 32-bit protected mode, paging off, flat CS: the PVH start state.
        backend.state = GuestControlState(rip: code, rsp: 0x8000, cr0: 1)
        backend.segment.default32 = true
    }

    override func tearDown() { fixture.release() }

    private func enter64BitMode() {
        fixture.enterLongMode()
        backend.segment.long = true
        backend.segment.default32 = false
    }

    /// Puts `bytes` at RIP and takes a nested page fault at `address`.
    private func fault(_ bytes: [UInt8], at address: UInt64? = nil, _ access: MemoryAccess) {
        XCTAssertTrue(domU.memory.write(bytes, at: backend.state.rip))
        fixture.handler(domU).handle(.make(.nestedPageFault(guestPhysicalAddress: address ?? hole, access: access)))
    }

    private func assertEmulated(length: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(domU.state, .running, file: file, line: line)
        XCTAssertEqual(backend.instructionPointerChanges, [code + length], "RIP moves past it", file: file, line: line)
        XCTAssertEqual(backend.injectedExceptions, [], file: file, line: line)
    }

    private func assertCrashed(_ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(domU.state, .crashed(expected), file: file, line: line)
        XCTAssertEqual(backend.instructionPointerChanges, [], "RIP must not move", file: file, line: line)
        XCTAssertEqual(fixture.dom0.state, .running, "only the guilty domain stops", file: file, line: line)
    }

    // MARK: - Loads read all ones

    func testThirtyTwoBitLoadZeroExtendsAllOnes() {
        registers.pointee.rax = before
        fault([0x8B, 0x03], read)                        // movl (%ebx), %eax
        XCTAssertEqual(registers.pointee.rax, 0xFFFF_FFFF)
        assertEmulated(length: 2)
    }

    func testSixtyFourBitLoadFromTheIOAPICWindow() {
        enter64BitMode()
        registers.pointee.r9 = before
        fault([0x4C, 0x8B, 0x0B], at: ioAPIC, read)       // movq (%rbx), %r9
        XCTAssertEqual(registers.pointee.r9, UInt64.max)
        assertEmulated(length: 3)
    }

    func testNarrowLoadsMergeIntoTheRegister() {
        registers.pointee.rax = before
        fault([0x8A, 0x23], read)                        // movb (%ebx), %ah
        XCTAssertEqual(registers.pointee.rax, 0x1122_3344_5566_FF88)
        fixture.release()
        setUp()
        registers.pointee.rdx = before
        fault([0x66, 0x8B, 0x13], read)                  // movw (%ebx), %dx
        XCTAssertEqual(registers.pointee.rdx, 0x1122_3344_5566_FFFF)
        assertEmulated(length: 3)
    }

    func testZeroAndSignExtendingLoads() {
        enter64BitMode()
        registers.pointee.rcx = before
        fault([0x0F, 0xB6, 0x0B], read)                  // movzbl (%rbx), %ecx
        XCTAssertEqual(registers.pointee.rcx, 0xFF)
        backend.state.rip = code
        fault([0x48, 0x0F, 0xBF, 0x0B], read)            // movswq (%rbx), %rcx
        XCTAssertEqual(registers.pointee.rcx, UInt64.max)
        backend.state.rip = code
        fault([0x0F, 0xBE, 0x0B], read)                  // movsbl (%rbx), %ecx
        XCTAssertEqual(registers.pointee.rcx, 0xFFFF_FFFF)
        XCTAssertEqual(backend.instructionPointerChanges, [code + 3, code + 4, code + 3])
    }

    func testLoadIntoTheStackPointerGoesThroughTheBackend() {
        enter64BitMode()
        fault([0x48, 0x8B, 0x23], read)                  // movq (%rbx), %rsp
        XCTAssertEqual(backend.stackPointerChanges, [UInt64.max])
        backend.state.rip = code
        backend.state.rsp = 0x8000
        fault([0x40, 0x8A, 0x23], read)                  // movb (%rbx), %spl
        XCTAssertEqual(backend.stackPointerChanges, [UInt64.max, 0x80FF])
    }

    func testFrameGivenBackReadsAllOnes() throws {
        try domU.memory.depopulate(frame: 0x80)
        registers.pointee.rax = 0
        fault([0xA1, 0x00, 0x00, 0x08, 0x00], at: 0x8_0000, read)   // movl 0x80000, %eax
        XCTAssertEqual(registers.pointee.rax, 0xFFFF_FFFF)
        assertEmulated(length: 5)
    }

    // MARK: - Stores are dropped

    func testStoresGoNowhere() {
        registers.pointee.rax = before
        fault([0xC7, 0x03, 0x78, 0x56, 0x34, 0x12], write)   // movl $0x12345678, (%ebx)
        XCTAssertEqual(registers.pointee.rax, before)
        assertEmulated(length: 6)
        XCTAssertEqual(domU.memory.frameCount, 256, "no RAM appears for a store")
    }

    func testInstructionAcrossTwoPagesIsFetchedWhole() {
        backend.state.rip = 0x4FFE
        registers.pointee.rax = 0
        fault([0x66, 0x8B, 0x03], read)                  // movw (%ebx), %ax, across 0x5000
        XCTAssertEqual(registers.pointee.rax, 0xFFFF)
        XCTAssertEqual(backend.instructionPointerChanges, [0x5001])
    }

    // MARK: - What is not emulated crashes the domain

    func testInstructionFetchFromTheHoleCrashes() {
        fault([0x90], MemoryAccess(read: false, write: false, execute: true))
        assertCrashed("NPT fault at guest-physical 0x0000000030000000 (execute), outside the domain's memory: instruction fetch (not emulated)")
    }

    /// Where the hardware reports the fetch as a read (no fetch bit without
    /// NX), RIP itself being in the hole still says what it was.
    func testFetchReportedAsReadIsStillAFetch() {
        backend.state.rip = hole + 0x10
        fixture.handler(domU).handle(.make(.nestedPageFault(guestPhysicalAddress: hole + 0x10, access: read)))
        XCTAssertEqual(domU.state, .crashed("NPT fault at guest-physical 0x0000000030000010 (read), outside the domain's memory: instruction fetch (not emulated)"))
    }

    func testGuestPageTableWalkIntoTheHoleCrashes() {
        var walk = read
        walk.guestPageWalk = true
        fault([0x8B, 0x03], walk)
        assertCrashed("NPT fault at guest-physical 0x0000000030000000 (read), outside the domain's memory: walk of the guest's page tables (not emulated)")
    }

    func testEventDeliveryIntoTheHoleCrashes() {
        var delivery = write
        delivery.duringEventDelivery = true
        fault([0x89, 0x03], delivery)                    // a store at RIP, but the CPU was pushing a frame
        assertCrashed("NPT fault at guest-physical 0x0000000030000000 (write), outside the domain's memory: delivery of an interrupt or exception (not emulated)")
    }

    func testInstructionOutsideTheSubsetCrashes() {
        fault([0x0F, 0x10, 0x03], read)                  // movups (%ebx), %xmm0
        assertCrashed("NPT fault at guest-physical 0x0000000030000000 (read), outside the domain's memory: opcode 0x0f 0x10 (not emulated)")
    }

    func testStoreInstructionForAReadCrashes() {
        fault([0x89, 0x03], read)
        assertCrashed("NPT fault at guest-physical 0x0000000030000000 (read), outside the domain's memory: an instruction that does not access memory this way (not emulated)")
    }

    func testUnreadableInstructionCrashes() {
        backend.state.rip = 0xFFFFF                      // the last RAM page ends at 0x100000
        fault([0x8B], read)                              // a MOV whose ModRM byte is past RAM
        assertCrashedWithoutMovingRIP(containing: "instruction bytes at linear 0x0000000000100000 unreadable (not emulated)")
        fixture.release()
        setUp()
        backend.state.rip = 0x20_0000
        fixture.handler(domU).handle(.make(.nestedPageFault(guestPhysicalAddress: hole, access: read)))
        assertCrashedWithoutMovingRIP(containing: "instruction bytes at linear 0x0000000000200000 unreadable (not emulated)")
    }

    func testSixteenBitCodeCrashes() {
        backend.segment.default32 = false
        fault([0x8B, 0x07], read)
        assertCrashed("NPT fault at guest-physical 0x0000000030000000 (read), outside the domain's memory: 16-bit code (not emulated)")
    }

    func testFaultOnMappedMemoryIsNotEmulated() {
        fault([0x89, 0x03], at: 0x1000, write)
        assertCrashed("NPT fault at guest-physical 0x0000000000001000 (write), which the domain's mapping there does not allow")
    }

    func testFaultOnAForeignMappingIsNotEmulated() throws {
        try domU.memory.mapForeign(at: 0x3_0000, from: fixture.dom0.memory, ownerID: 0, ownerFrame: 1)
        fault([0x8B, 0x03], at: 0x3000_0000, MemoryAccess(read: false, write: false, execute: true))
        XCTAssertEqual(domU.state, .crashed("NPT fault at guest-physical 0x0000000030000000 (execute), which the domain's mapping there does not allow"))
    }

    private func assertCrashedWithoutMovingRIP(containing text: String, file: StaticString = #filePath, line: UInt = #line) {
        guard case .crashed(let reason) = domU.state else { return XCTFail("not crashed: \(domU.state)", file: file, line: line) }
        XCTAssertTrue(reason.hasSuffix(text), reason, file: file, line: line)
        XCTAssertEqual(backend.instructionPointerChanges, [], file: file, line: line)
    }

    // MARK: - The value itself

    func testLoadedValueIsAllOnesInTheOperandsWidth() {
        XCTAssertEqual(UnbackedAccess.loadedValue(memorySize: 1, widening: .zeroExtend), 0xFF)
        XCTAssertEqual(UnbackedAccess.loadedValue(memorySize: 2, widening: .none), 0xFFFF)
        XCTAssertEqual(UnbackedAccess.loadedValue(memorySize: 4, widening: .none), 0xFFFF_FFFF)
        XCTAssertEqual(UnbackedAccess.loadedValue(memorySize: 8, widening: .none), UInt64.max)
        XCTAssertEqual(UnbackedAccess.loadedValue(memorySize: 1, widening: .signExtend), UInt64.max)
    }
}
