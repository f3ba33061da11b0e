import XCTest
@testable import KernelCore

final class CPUIDPolicyTests: XCTestCase {
    private let allOnes = CPUIDValues(eax: 0xFFFF_FFFF, ebx: 0xFFFF_FFFF, ecx: 0xFFFF_FFFF, edx: 0xFFFF_FFFF)

    func testOtherLeavesPassThrough() {
        var asked: [UInt32] = []
        let values = CPUIDPolicy.guestValues(leaf: 7, subleaf: 1) { leaf, subleaf in
            asked = [leaf, subleaf]
            return CPUIDValues(eax: 1, ebx: 2, ecx: 3, edx: 4)
        }
        XCTAssertEqual(values, CPUIDValues(eax: 1, ebx: 2, ecx: 3, edx: 4))
        XCTAssertEqual(asked, [7, 1])
    }

    func testFilteredLeaves() {
        XCTAssertEqual(CPUIDPolicy.guestValues(leaf: 1, subleaf: 0) { _, _ in self.allOnes }.ecx, 0xE3FF_FFD7)   // VMX, MONITOR, XSAVE, OSXSAVE, AVX clear
        XCTAssertEqual(CPUIDPolicy.guestValues(leaf: 1, subleaf: 0) { _, _ in CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0) }.ecx,
                       0x8000_0000)
        XCTAssertEqual(CPUIDPolicy.guestValues(leaf: 0x8000_0001, subleaf: 0) { _, _ in self.allOnes }.ecx, 0xFFFF_FFFB)
        XCTAssertEqual(CPUIDPolicy.guestValues(leaf: 0x8000_000A, subleaf: 0) { _, _ in self.allOnes },
                       CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0))
    }

    func testWholeHypervisorRangeIsOurs() {
        XCTAssertEqual(CPUIDPolicy.guestValues(leaf: 0x4FFF_FFFF, subleaf: 0) { _, _ in self.allOnes },
                       CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0))
        XCTAssertEqual(CPUIDPolicy.guestValues(leaf: 0x5000_0000, subleaf: 0) { _, _ in self.allOnes }, allOnes)
        XCTAssertEqual(CPUIDPolicy.hypervisorLeaf(0x4000_0000),
                       CPUIDValues(eax: 0x4000_0002, ebx: 0x566E_6558, ecx: 0x6558_4D4D, edx: 0x4D4D_566E))
    }
}
