import XCTest
@testable import KernelCore

/// The local APIC's MSRs through the exit handler: IA32_APIC_BASE, and the
/// x2APIC registers of the vCPU's VirtualAPIC, with #GP (RIP kept) for what
/// it refuses.
final class VMExitHandlerAPICTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var clock: ManualClock!
    private var dom0: Domain { fixture.dom0 }
    private var vcpu: VCPU { dom0.vcpus[0] }
    private var registers: UnsafeMutablePointer<GuestRegisters> { vcpu.registers }
    private var backend: FakeBackend { fixture.backend }
    private let generalProtection = FakeBackend.InjectedException(vector: 13, errorCode: 0)

    override func setUp() {
        fixture = HypervisorFixture()
        clock = ManualClock()
        clock.install()
    }

    override func tearDown() {
        ManualClock.uninstall()
        fixture.release()
    }

    private func writeMSR(_ msr: UInt32, _ value: UInt64, on vcpu: VCPU? = nil) {
        let target = vcpu ?? self.vcpu
        target.registers.pointee.rcx = UInt64(msr)
        target.registers.pointee.rax = 0xFFFF_FFFF_0000_0000 | (value & 0xFFFF_FFFF)    // only EAX counts
        target.registers.pointee.rdx = value >> 32
        VMExitHandler(hypervisor: fixture.hypervisor, domain: dom0, vcpu: target).handle(.make(.msrWrite, length: 2))
    }

    /// EDX:EAX after RDMSR (both 0xDEAD before, so a write shows).
    private func readMSR(_ msr: UInt32, on vcpu: VCPU? = nil) -> UInt64 {
        let target = vcpu ?? self.vcpu
        target.registers.pointee.rcx = UInt64(msr)
        target.registers.pointee.rax = 0xDEAD
        target.registers.pointee.rdx = 0xDEAD
        VMExitHandler(hypervisor: fixture.hypervisor, domain: dom0, vcpu: target).handle(.make(.msrRead, length: 2))
        return target.registers.pointee.rdx << 32 | target.registers.pointee.rax
    }

    // MARK: - IA32_APIC_BASE

    func testAPICBaseSaysEnabledInX2APICModeAndBSPOnVCPU0() {
        XCTAssertEqual(readMSR(0x1B), 0xFEE0_0D00, "0xFEE00000 | EN | EXTD | BSP")
        let second = VCPU(domainID: 0, index: 1)
        XCTAssertEqual(readMSR(0x1B, on: second), 0xFEE0_0C00, "no BSP")
        XCTAssertEqual(backend.injectedExceptions, [])
        XCTAssertEqual(backend.instructionPointerChanges.count, 2)
    }

    func testAPICBaseAcceptsItsOwnValue() {
        writeMSR(0x1B, 0xFEE0_0D00)
        XCTAssertEqual(backend.injectedExceptions, [])
        XCTAssertEqual(backend.instructionPointerChanges.count, 1)
        XCTAssertEqual(readMSR(0x1B), 0xFEE0_0D00)
    }

    func testAPICBaseRefusesEveryChange() {
        for value: UInt64 in [
            0xFEE0_0900,            // back to xAPIC mode: invalid from x2APIC mode
            0xFEE0_0100,            // off
            0xFEE0_0500,            // EXTD without EN: invalid
            0xFED0_0D00,            // moved
            0xFEE0_0C00,            // BSP cleared
            0xFEE0_0F00,            // reserved bit 9
            0xFEE0_0D01,            // reserved bit 0
            0x1_0000_0000_0D00 | 0xFEE0_0000,   // high address bits
        ] {
            writeMSR(0x1B, value)
        }
        XCTAssertEqual(backend.injectedExceptions, Array(repeating: generalProtection, count: 8))
        XCTAssertEqual(backend.instructionPointerChanges, [], "RIP stays on the WRMSR")
        XCTAssertEqual(readMSR(0x1B), 0xFEE0_0D00)
    }

    // MARK: - x2APIC registers

    func testX2APICRegistersReadThroughEDXAndEAX() {
        XCTAssertEqual(readMSR(0x802), 0, "APIC ID 0, EDX cleared")
        XCTAssertEqual(readMSR(0x803), 0x0005_0014)
        XCTAssertEqual(readMSR(0x80D), 1)
        XCTAssertEqual(readMSR(0x80F), 0xFF)
        XCTAssertEqual(backend.injectedExceptions, [])
    }

    func testSelfIPIReachesTheVCPUsAPIC() {
        writeMSR(0x80F, 0x1FF)
        writeMSR(0x83F, 0x31)
        XCTAssertEqual(vcpu.localAPIC.highestDeliverableVector(), 0x31)
        XCTAssertEqual(readMSR(0x821), 0x0002_0000)
        XCTAssertEqual(backend.injectedExceptions, [])
        XCTAssertEqual(fixture.domU.vcpus[0].localAPIC.interruptRequests, InterruptVectorSet(), "per vCPU")
    }

    func testTheICRIsOneSixtyFourBitWrite() {
        writeMSR(0x80F, 0x1FF)
        writeMSR(0x830, 0x0000_0000_0000_0045)                   // physical destination 0 (EDX 0)
        XCTAssertEqual(vcpu.localAPIC.highestDeliverableVector(), 0x45)
        writeMSR(0x830, 0x0000_0007_0000_0046)                   // destination 7 in EDX: no such vCPU
        XCTAssertEqual(readMSR(0x830), 0x0000_0007_0000_0046)
        XCTAssertEqual(vcpu.localAPIC.ignoredInterprocessorInterrupts, 1)
        XCTAssertEqual(readMSR(0x822), 0x0000_0020, "only 0x45 pending")
    }

    func testRefusedAccessesAreGPAndKeepRIP() {
        _ = readMSR(0x80B)                                      // EOI: write-only
        _ = readMSR(0x83F)                                      // SELF IPI: write-only
        writeMSR(0x802, 1)                                      // ID: read-only
        writeMSR(0x808, 0x100)                                  // TPR: reserved bit
        writeMSR(0x80B, 1)                                      // EOI: non-zero
        _ = readMSR(0x8FF)                                      // reserved MSR
        XCTAssertEqual(backend.injectedExceptions, Array(repeating: generalProtection, count: 6))
        XCTAssertEqual(backend.instructionPointerChanges, [])
        XCTAssertEqual(registers.pointee.rax, 0xDEAD, "a faulting RDMSR writes no register")
        XCTAssertEqual(vcpu.localAPIC.taskPriority, 0)
    }

    func testTheTimerRunsOnSystemTime() {
        clock.now = 1000
        writeMSR(0x80F, 0x1FF)
        writeMSR(0x832, 0xEC)
        writeMSR(0x83E, 0xB)                                    // divide by 1: 10 ns a count
        writeMSR(0x838, 100)
        XCTAssertEqual(vcpu.localAPIC.nextTimerDeadline, 2000)
        clock.now = 1500
        XCTAssertEqual(readMSR(0x839), 50)
        XCTAssertTrue(vcpu.localAPIC.fireTimer(now: 2000))
        XCTAssertEqual(vcpu.localAPIC.highestDeliverableVector(), 0xEC)
        XCTAssertEqual(backend.injectedExceptions, [])
    }
}
