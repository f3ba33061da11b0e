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
        XCTAssertEqual(filtered(1).ecx, without([2, 3, 4, 5, 6, 7, 8, 15, 21, 24, 26, 27, 28]))
        XCTAssertEqual(filtered(1).edx, without([7, 9, 12, 14, 21, 22, 29, 31]))
        XCTAssertEqual(filtered(1).eax, 0xFFFF_FFFF)
        XCTAssertEqual(filtered(1, host: CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0)).ecx, 0x8000_0000)   // hypervisor bit
    }

    func testNoLocalAPICIsOffered() {
        let leaf1 = filtered(1)
        XCTAssertEqual(leaf1.edx & (1 << 9), 0, "APIC")
        XCTAssertEqual(leaf1.ecx & (1 << 21), 0, "x2APIC")
        XCTAssertEqual(leaf1.ecx & (1 << 24), 0, "TSC deadline")
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
                       CPUIDValues(eax: 0x4000_0002, ebx: 0x566E_6558, ecx: 0x6558_4D4D, edx: 0x4D4D_566E))
    }
}
