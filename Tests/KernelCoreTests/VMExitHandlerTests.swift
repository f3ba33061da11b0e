import XCTest
import XenPublic
@testable import KernelCore

/// CPUID, hypercalls, HLT and the exits that crash a domain, through
/// `VMExitHandler.handle(_:)` with a fake backend.
final class VMExitHandlerTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var domU: Domain { fixture.domU }
    private var registers: UnsafeMutablePointer<GuestRegisters> { fixture.registers(domU) }
    private var backend: FakeBackend { fixture.backend }

    override func setUp() { fixture = HypervisorFixture() }
    override func tearDown() { fixture.release() }

    /// A VMCALL/VMMCALL exit as the backend decodes it: with the mode the
    /// fake backend's state says.
    private var hypercall: VMExitReason {
        .hypercall(GuestExecutionMode(privilegeLevel: backend.state.privilegeLevel,
                                      longModeActive: backend.state.longModeActive))
    }

    private func handle(_ reason: VMExitReason, length: UInt8, name: StaticString = "TEST") {
        fixture.handler(domU).handle(.make(reason, length: length, name: name))
    }

    private func assertCrashed(_ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(domU.state, .crashed(expected), file: file, line: line)
        XCTAssertEqual(backend.instructionPointerChanges, [], "RIP must not move", file: file, line: line)
        XCTAssertEqual(fixture.dom0.state, .running, "only the guilty domain stops", file: file, line: line)
    }

    // MARK: - CPUID

    func testHypervisorSignatureLeaf() {
        registers.pointee.rax = 0x4000_0000
        handle(.cpuid, length: 2)
        var signature: [UInt8] = []
        for value in [registers.pointee.rbx, registers.pointee.rcx, registers.pointee.rdx] {
            signature += le(UInt32(truncatingIfNeeded: value))
            XCTAssertEqual(value >> 32, 0)
        }
        XCTAssertEqual(String(decoding: signature, as: UTF8.self), "XenVMMXenVMM")
        XCTAssertEqual(registers.pointee.rax, 0x4000_0004)
        XCTAssertEqual(backend.instructionPointerChanges, [0x10_0002])
        XCTAssertEqual(fixture.hostCPUIDCalls.count, 0, "hypervisor leaves are not the host's")
    }

    /// Leaf 0x40000004 answers with the asking vCPU's and domain's ids.
    func testHVMLeafNamesTheAskingVCPUAndDomain() {
        registers.pointee.rax = 0x4000_0004
        registers.pointee.rcx = 0
        handle(.cpuid, length: 2)
        XCTAssertEqual(registers.pointee.rbx, UInt64(fixture.domU.vcpus[0].index))
        XCTAssertEqual(registers.pointee.rcx, UInt64(fixture.domU.id))
        XCTAssertNotEqual(registers.pointee.rax & UInt64(XEN_HVM_CPUID_DOMID_PRESENT), 0)
    }

    func testHypervisorLeavesForVersionAndHypercallMSR() {
        registers.pointee.rax = 0x4000_0001
        handle(.cpuid, length: 2)
        XCTAssertEqual(registers.pointee.rax, 0x4_0013)
        registers.pointee.rax = 0x4000_0002
        handle(.cpuid, length: 2)
        XCTAssertEqual(registers.pointee.rax, 1)
        XCTAssertEqual(registers.pointee.rbx, 0x4000_0000)
        registers.pointee.rax = 0x4000_0100
        handle(.cpuid, length: 2)
        XCTAssertEqual([registers.pointee.rax, registers.pointee.rbx, registers.pointee.rcx, registers.pointee.rdx], [0, 0, 0, 0])
    }

    func testLeafOneIsFilteredAndSetsHypervisorBit() {
        fixture.hostCPUID = { leaf, subleaf in
            leaf == 1 ? CPUIDValues(eax: 0x906EA, ebx: 0x0110_0800, ecx: 0x7FFA_FBFF, edx: 0xBFEB_FBFF)
                      : CPUIDValues(eax: 0xDEAD, ebx: 0, ecx: 0, edx: 0)
        }
        registers.pointee.rax = 0xFFFF_FFFF_0000_0001      // only EAX selects the leaf
        registers.pointee.rcx = 0x1234_0000_0000_0000
        handle(.cpuid, length: 2)
        XCTAssertEqual(registers.pointee.rax, 0x906EA)
        XCTAssertEqual(registers.pointee.rbx, 0x0010_0800)   // the host's APIC ID 1 replaced by vCPU 0's
        XCTAssertEqual(registers.pointee.rcx, 0xE2FA_7A03)   // CPUIDPolicy's list cleared, x2APIC (21) and bit 31 set
        XCTAssertEqual(registers.pointee.rdx, 0x1F8B_AB7F)   // MCE, MCA, MTRR, ... cleared, APIC (9) set
        XCTAssertEqual(fixture.hostCPUIDCalls.map { [$0.0, $0.1] }, [[1, 0]])
    }

    func testSVMIsHidden() {
        fixture.hostCPUID = { leaf, _ in CPUIDValues(eax: 7, ebx: 7, ecx: 0xFFFF_FFFF, edx: 7) }
        registers.pointee.rax = 0x8000_0001
        handle(.cpuid, length: 2)
        XCTAssertEqual(registers.pointee.rcx, 0xCE7F_5BFB)   // SVM (2), the counter extensions and MONITORX clear
        registers.pointee.rax = 0x8000_000A
        handle(.cpuid, length: 2)
        XCTAssertEqual([registers.pointee.rax, registers.pointee.rbx, registers.pointee.rcx, registers.pointee.rdx], [0, 0, 0, 0])
        XCTAssertEqual(backend.instructionPointerChanges, [0x10_0002, 0x10_0004])
    }

    // MARK: - Hypercalls

    func testHypercallFromUserModeIsEPERM() {
        backend.state.privilegeLevel = 3
        registers.pointee.rax = UInt64(__HYPERVISOR_sched_op)
        registers.pointee.rbx = UInt64(SCHEDOP_block)
        handle(hypercall, length: 3)
        XCTAssertEqual(registers.pointee.rax, ReturnValue.EPERM)
        XCTAssertEqual(domU.state, .running)
        XCTAssertEqual(backend.instructionPointerChanges, [0x10_0003])
    }

    func testThirtyTwoBitHypercallResultIsThirtyTwoBits() {
        registers.pointee.rax = 0xFFFF_FFFF_0000_0000 | UInt64(__HYPERVISOR_xen_version)
        registers.pointee.rbx = UInt64(XENVER_version)
        handle(hypercall, length: 3)
        XCTAssertEqual(registers.pointee.rax, 0x4_0013)
        registers.pointee.rax = 99
        handle(hypercall, length: 3)
        XCTAssertEqual(registers.pointee.rax, 0xFFFF_FFDA)
    }

    func testLongModeHypercallUsesRDIAndFullWidthResult() {
        backend.state.efer = 1 << 10
        registers.pointee.rax = UInt64(__HYPERVISOR_xen_version)
        registers.pointee.rbx = UInt64(XENVER_extraversion)
        registers.pointee.rdi = UInt64(XENVER_pagesize)
        handle(hypercall, length: 3)
        XCTAssertEqual(registers.pointee.rax, 4096)
        registers.pointee.rax = 99
        handle(hypercall, length: 3)
        XCTAssertEqual(registers.pointee.rax, ReturnValue.ENOSYS)
    }

    // MARK: - What the scheduler must look at afterwards

    private func effect(_ reason: VMExitReason, length: UInt8) -> SchedulingEffect {
        fixture.handler(domU).handle(.make(reason, length: length))
    }

    /// The fast path's contract (SchedulingEffect): only exits that set no
    /// timer and wake, block, yield or end nothing say `.none`.
    func testSchedulingEffectOfEachKindOfExit() {
        registers.pointee.rax = 0x4000_0000
        XCTAssertEqual(effect(.cpuid, length: 2), .none)
        XCTAssertEqual(effect(.ioPort(port: 0x80, size: 1, isWrite: false), length: 2), .none)
        XCTAssertEqual(effect(.interruptWindow, length: 0), .none)
        XCTAssertEqual(effect(.externalInterrupt, length: 0), .mayReschedule)
        XCTAssertEqual(effect(.timer, length: 0), .mayReschedule)
        registers.pointee.rcx = 0x832                     // x2APIC LVT timer: may program the timer
        registers.pointee.rax = 0x10000
        XCTAssertEqual(effect(.msrWrite, length: 2), .mayReschedule)
        backend.state.rflags = 1 << 9
        XCTAssertEqual(effect(.halt, length: 1), .mayReschedule)
        XCTAssertEqual(domU.state, .blocked)
    }

    func testSchedulingEffectOfHypercallsIsTheirRows() {
        registers.pointee.rax = UInt64(__HYPERVISOR_xen_version)
        registers.pointee.rbx = UInt64(XENVER_version)
        XCTAssertEqual(effect(hypercall, length: 3), .none)
        registers.pointee.rax = 99                        // not in the table: -ENOSYS
        XCTAssertEqual(effect(hypercall, length: 3), .none)
        XCTAssertEqual(registers.pointee.rax & 0xFFFF_FFFF, 0xFFFF_FFDA)
        registers.pointee.rax = UInt64(__HYPERVISOR_sched_op)
        registers.pointee.rbx = UInt64(SCHEDOP_yield)
        XCTAssertEqual(effect(hypercall, length: 3), .mayReschedule)
        XCTAssertTrue(fixture.hypervisor.yieldRequested)
        registers.pointee.rax = UInt64(__HYPERVISOR_set_timer_op)
        registers.pointee.rbx = 0
        XCTAssertEqual(effect(hypercall, length: 3), .mayReschedule)
    }

    func testEveryRowThatCanChangeSchedulingSaysSo() {
        // The rows whose handlers set timers, block, yield, wake (an event
        // is a wake-up), or create and destroy domains.
        let mustLook = ["set_timer_op", "vcpu_op", "sched_op", "event_channel_op", "domctl", "console_io", "hvm_op"]
        for entry in HypercallTable.entries where mustLook.contains("\(entry.name)") {
            XCTAssertEqual(entry.schedulingEffect, .mayReschedule, "\(entry.name)")
        }
    }

    func testACrashAlwaysMakesTheSchedulerLook() {
        XCTAssertEqual(effect(.tripleFault, length: 0), .mayReschedule)
        XCTAssertEqual(domU.state, .crashed("triple fault"))
    }

    // MARK: - HLT and the exits that change nothing

    func testHaltWithInterruptsOnBlocksTheDomain() {
        backend.state.rflags = 0x202
        handle(.halt, length: 1)
        XCTAssertEqual(domU.state, .blocked)
        XCTAssertEqual(backend.instructionPointerChanges, [0x10_0001])
        XCTAssertFalse(domU.vcpus[0].isDown)
    }

    func testHaltWithInterruptsOffIsThePowerOffOfAOneVCPUDomain() {
        backend.state.rflags = 0x2
        handle(.halt, length: 1)
        XCTAssertTrue(domU.vcpus[0].isDown)
        XCTAssertEqual(domU.state, .shutdown(reason: UInt32(SHUTDOWN_poweroff)))
    }

    func testInterruptsAndTimersRetry() {
        handle(.externalInterrupt, length: 0)
        handle(.timer, length: 0)
        XCTAssertEqual(domU.state, .running)
        XCTAssertEqual(backend.instructionPointerChanges, [])
        XCTAssertEqual(domU.vcpus[0].exitCount, 2)
        XCTAssertEqual(domU.exitCounters.summary, "interrupt 1, timer 1")
    }

    func testExitsAreCountedByKindMostFrequentFirst() {
        handle(.halt, length: 1)
        registers.pointee.rax = 99
        handle(hypercall, length: 3)
        handle(hypercall, length: 3)
        XCTAssertEqual(domU.exitCounters.summary, "hypercall 2, halt 1")
        XCTAssertEqual(domU.hypercallCounters.summary, "unknown 2 (2 failed)")
    }

    func testEveryExitKindHasItsOwnName() {
        let names = VMExitKind.allCases.map { "\($0.name)" }
        XCTAssertEqual(Set(names).count, names.count)
    }

    func testUnsupportedInstructionInjectsUD() {
        handle(.unsupportedInstruction, length: 3)
        XCTAssertEqual(backend.injectedExceptions, [.init(vector: 6, errorCode: nil)])
        XCTAssertEqual(backend.instructionPointerChanges, [])
        XCTAssertEqual(domU.state, .running)
    }

    // MARK: - Crashes

    /// UnbackedAccessTests has the nested page faults that are emulated.
    func testInstructionFetchFromUnbackedMemoryCrashesTheDomain() {
        handle(.nestedPageFault(guestPhysicalAddress: 0x1234_5000, access: MemoryAccess(read: false, write: false, execute: true)),
               length: 3)
        assertCrashed("NPT fault at guest-physical 0x0000000012345000 (execute), outside the domain's memory: instruction fetch (not emulated)")
    }

    func testEPTViolationIsNamedSo() {
        fixture.release()
        fixture = HypervisorFixture(format: .ept)
        handle(.nestedPageFault(guestPhysicalAddress: 0xFEE0_0000, access: MemoryAccess(read: true, write: false, execute: true)),
               length: 0)
        assertCrashed("EPT violation at guest-physical 0x00000000fee00000 (read/execute), outside the domain's memory: instruction fetch (not emulated)")
    }

    func testTaskSwitchCrashesTheDomain() {
        handle(.taskSwitch(selector: 0x28), length: 0, name: "task switch")
        assertCrashed("task switch (not emulated), to TSS selector 0x0028")
    }

    func testTripleFaultCrashesTheDomain() {
        handle(.tripleFault, length: 0)
        assertCrashed("triple fault")
    }

    func testUnexpectedExceptionCrashesTheDomain() {
        handle(.exception(vector: 14, errorCode: 2), length: 0)
        assertCrashed("unexpected exception 14 (error code 0x0002)")
    }

    func testUnexpectedExceptionWithoutErrorCode() {
        handle(.exception(vector: 6, errorCode: nil), length: 2)
        assertCrashed("unexpected exception 6 (error code none)")
        XCTAssertEqual(backend.injectedExceptions, [])
    }

    func testHardwareExitCrashesTheDomain() {
        handle(.hardware(code: 0x21), length: 0, name: "VM-entry failure")
        assertCrashed("VM-entry failure (hardware code 0x0021)")
    }

    func testInstructionExitWithoutLengthCrashes() {
        registers.pointee.rax = 0x4000_0000
        handle(.cpuid, length: 0, name: "CPUID")
        assertCrashed("the backend gave no instruction length for a CPUID exit")
    }
}
