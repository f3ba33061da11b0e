import XCTest
@testable import KernelCore

final class CPUIDPolicyTests: XCTestCase {
    private let allOnes = CPUIDValues(eax: 0xFFFF_FFFF, ebx: 0xFFFF_FFFF, ecx: 0xFFFF_FFFF, edx: 0xFFFF_FFFF)

    func testOtherLeavesPassThrough() {
        var asked: [UInt32] = []
        let values = CPUIDPolicy.guestValues(leaf: 4, subleaf: 1) { leaf, subleaf in
            asked = [leaf, subleaf]
            return CPUIDValues(eax: 1, ebx: 2, ecx: 3, edx: 4)
        }
        XCTAssertEqual(values, CPUIDValues(eax: 1, ebx: 2, ecx: 3, edx: 4))
        XCTAssertEqual(asked, [4, 1])
    }

    private func filtered(_ leaf: UInt32, subleaf: UInt32 = 0, host: CPUIDValues? = nil) -> CPUIDValues {
        CPUIDPolicy.guestValues(leaf: leaf, subleaf: subleaf) { _, _ in host ?? self.allOnes }
    }

    /// The bits a guest keeps, written out bit by bit from the policy's
    /// list, so a change to the list shows here.
    private func without(_ positions: [UInt32]) -> UInt32 {
        positions.reduce(0xFFFF_FFFF) { $0 & ~(1 << $1) }
    }

    func testLeafOneHidesWhatIsNotVirtualized() {
        XCTAssertEqual(filtered(1).ecx, without([2, 3, 4, 5, 6, 7, 8, 15, 24, 26, 27, 28]))
        XCTAssertEqual(filtered(1).edx, without([7, 12, 14, 21, 22, 29, 31]))
        XCTAssertEqual(filtered(1).eax, 0xFFFF_FFFF)
        XCTAssertEqual(filtered(1).ebx, 0x00FF_FFFF, "initial APIC ID 0 in bits 31:24, the rest the host's")
    }

    /// On a host that has nothing, the guest still sees the hypervisor bit
    /// and its virtual APIC, as the APIC and x2APIC bits.
    func testLeafOneAddsTheHypervisorBitAndTheVirtualAPIC() {
        let leaf1 = filtered(1, host: CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0))
        XCTAssertEqual(leaf1.ecx, 0x8020_0000, "hypervisor (31), x2APIC (21)")
        XCTAssertEqual(leaf1.edx, 0x0000_0200, "APIC (9)")
        XCTAssertEqual(leaf1.ebx, 0)
    }

    func testTheLocalAPICIsOfferedWithoutTheTSCDeadlineTimer() {
        let leaf1 = CPUIDPolicy.guestValues(leaf: 1, subleaf: 0, apicID: 3) { _, _ in self.allOnes }
        XCTAssertEqual(leaf1.edx & (1 << 9), 1 << 9, "APIC")
        XCTAssertEqual(leaf1.ecx & (1 << 21), 1 << 21, "x2APIC")
        XCTAssertEqual(leaf1.ecx & (1 << 24), 0, "TSC deadline")
        XCTAssertEqual(leaf1.ebx, 0x03FF_FFFF, "initial APIC ID 3")
    }

    /// Leaves 0xB and 0x1F: SMT level, core level, then invalid; one
    /// logical processor at each; the x2APIC ID in EDX at every subleaf;
    /// nothing from the host.
    func testTopologyLeavesShowOneThreadPerPackage() {
        for leaf: UInt32 in [0xB, 0x1F] {
            let values = (0..<4).map { subleaf in
                CPUIDPolicy.guestValues(leaf: leaf, subleaf: subleaf, apicID: 2) { _, _ in self.allOnes }
            }
            XCTAssertEqual(values[0], CPUIDValues(eax: 0, ebx: 1, ecx: 0x100, edx: 2), "leaf \(leaf) SMT")
            XCTAssertEqual(values[1], CPUIDValues(eax: 0, ebx: 1, ecx: 0x201, edx: 2), "leaf \(leaf) core")
            XCTAssertEqual(values[2], CPUIDValues(eax: 0, ebx: 0, ecx: 0x002, edx: 2), "leaf \(leaf) end")
            XCTAssertEqual(values[3], CPUIDValues(eax: 0, ebx: 0, ecx: 0x003, edx: 2), "leaf \(leaf) end")
        }
        XCTAssertEqual(filtered(0xB), CPUIDValues(eax: 0, ebx: 1, ecx: 0x100, edx: 0), "vCPU 0 by default")
    }

    func testTheExitHandlerAsksWithTheVCPUsAPICID() {
        let fixture = HypervisorFixture()
        defer { fixture.release() }
        fixture.hostCPUID = { _, _ in self.allOnes }
        let vcpu = VCPU(domainID: 0, index: 4)
        vcpu.registers.pointee.rax = 0xB
        vcpu.registers.pointee.rcx = 0
        VMExitHandler(hypervisor: fixture.hypervisor, domain: fixture.dom0, vcpu: vcpu).handle(.make(.cpuid, length: 2))
        XCTAssertEqual(vcpu.registers.pointee.rdx, 4)
        vcpu.registers.pointee.rax = 1
        VMExitHandler(hypervisor: fixture.hypervisor, domain: fixture.dom0, vcpu: vcpu).handle(.make(.cpuid, length: 2))
        XCTAssertEqual(vcpu.registers.pointee.rbx, 0x04FF_FFFF)
    }

    func testMSRBackedLeavesAreEmptyOrFiltered() {
        XCTAssertEqual(filtered(6), CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0))
        XCTAssertEqual(filtered(0xA), CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0))
        XCTAssertEqual(filtered(7).ebx, without([12, 15]))
        XCTAssertEqual(filtered(7).edx, without([5, 20, 26, 27, 28, 29, 31]))
        XCTAssertEqual(filtered(7, subleaf: 2), allOnes)            // only subleaves 0 and 1 are filtered
        XCTAssertEqual(filtered(0x8000_0001).ecx, without([2, 10, 13, 15, 23, 24, 28, 29]))
        XCTAssertEqual(filtered(0x8000_0001).edx, 0xFFFF_FFFF)
        XCTAssertEqual(filtered(0x8000_0008).ebx, without([12, 14, 15, 24, 25]))
        XCTAssertEqual(filtered(0x8000_000A), CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0))
        XCTAssertEqual(filtered(0x8000_001F), CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0))
    }

    /// The features whose CR4 bits ControlRegister4Policy never permits.
    func testFeaturesWithRefusedControlRegister4BitsAreHidden() {
        XCTAssertEqual(filtered(7).ecx, without([3, 4, 7, 16, 23, 31]))
        XCTAssertEqual(filtered(7, subleaf: 1), CPUIDValues(eax: without([17, 26]), ebx: 0xFFFF_FFFF,
                                                            ecx: 0xFFFF_FFFF, edx: 0xFFFF_FFFF))
    }

    func testWholeHypervisorRangeIsOurs() {
        XCTAssertEqual(CPUIDPolicy.guestValues(leaf: 0x4FFF_FFFF, subleaf: 0) { _, _ in self.allOnes },
                       CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0))
        XCTAssertEqual(CPUIDPolicy.guestValues(leaf: 0x5000_0000, subleaf: 0) { _, _ in self.allOnes }, allOnes)
        XCTAssertEqual(CPUIDPolicy.hypervisorLeaf(0x4000_0000),
                       CPUIDValues(eax: 0x4000_0004, ebx: 0x566E_6558, ecx: 0x6558_4D4D, edx: 0x4D4D_566E))
    }

    /// Leaf 4: the vCPU id in EBX, the domain id in ECX, and the flags that
    /// say so and that per-vCPU upcall vectors work (bits 3, 4 and 6).
    func testLeaf4NamesTheVCPUAndTheDomain() {
        let values = CPUIDPolicy.guestValues(leaf: 0x4000_0004, subleaf: 0, apicID: 2, domainID: 7) { _, _ in self.allOnes }
        XCTAssertEqual(values, CPUIDValues(eax: 0b101_1000, ebx: 2, ecx: 7, edx: 0))
        XCTAssertEqual(CPUIDPolicy.guestValues(leaf: 0x4000_0004, subleaf: 1) { _, _ in self.allOnes },
                       CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0), "subleaf 0 only")
        XCTAssertEqual(CPUIDPolicy.guestValues(leaf: 0x4000_0003, subleaf: 0) { _, _ in self.allOnes },
                       CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0), "TSC mode default")
    }
}
