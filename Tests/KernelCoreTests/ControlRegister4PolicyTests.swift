import XCTest
@testable import KernelCore

/// Which CR4 values a guest may load: the bits of features CPUIDPolicy
/// shows, and the architecture's rules that depend on the guest's state.
final class ControlRegister4PolicyTests: XCTestCase {
    private func policy(host: CPUIDValues) -> ControlRegister4Policy {
        ControlRegister4Policy { leaf, subleaf in CPUIDPolicy.guestValues(leaf: leaf, subleaf: subleaf) { _, _ in host } }
    }

    private let everything = CPUIDValues(eax: 0xFFFF_FFFF, ebx: 0xFFFF_FFFF, ecx: 0xFFFF_FFFF, edx: 0xFFFF_FFFF)
    private let nothing = CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0)

    private func bits(_ positions: [Int]) -> UInt64 { positions.reduce(0) { $0 | (1 << UInt64($1)) } }

    /// Long mode with PAE and SSE on, as a 64-bit guest kernel runs.
    private let longMode = GuestControlState(cr0: 0x8000_0011, cr4: 0x620, efer: 0x500)

    func testHostWithEveryFeatureGivesOnlyWhatGuestsSee() {
        // VME, PVI, TSD, DE, PSE, PAE, PGE, PCE, OSFXSR, OSXMMEXCPT, UMIP,
        // FSGSBASE, PCIDE, SMEP, SMAP. Not: MCE (machine checks hidden),
        // OSXSAVE (XSAVE hidden), PKE (PKU hidden), VMXE, SMXE, LA57, ...
        XCTAssertEqual(policy(host: everything).permittedBits,
                       bits([0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 16, 17, 20, 21]))
    }

    func testHostWithNoFeaturesPermitsOnlyPCE() {
        XCTAssertEqual(policy(host: nothing).permittedBits, 1 << 8)
    }

    func testFeatureBitsFollowTheGuestsCPUID() {
        // Only SSE and FXSR shown (leaf 1 EDX bits 25 and 24).
        let sse = CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0x0300_0000)
        XCTAssertEqual(policy(host: sse).permittedBits, bits([8, 9, 10]))
    }

    func testValidValueIsAllowed() {
        let rules = policy(host: everything)
        XCTAssertNil(rules.refusal(0x620, state: longMode))
        XCTAssertNil(rules.refusal(0x6A0, state: longMode))                      // PGE on
        XCTAssertNil(rules.refusal(0x220, state: longMode))                      // OSXMMEXCPT off
    }

    func testReservedAndHiddenBitsAreRefused() {
        let rules = policy(host: everything)
        XCTAssertEqual(rules.refusal(0x620 | (1 << 31), state: longMode), "bit 31 is reserved or its feature hidden")
        XCTAssertEqual(rules.refusal(0x620 | (1 << 13), state: longMode), "bit 13 is reserved or its feature hidden")   // VMXE
        XCTAssertEqual(rules.refusal(0x620 | (1 << 18), state: longMode), "bit 18 is reserved or its feature hidden")   // OSXSAVE
        XCTAssertEqual(rules.refusal(0x620 | (1 << 12), state: longMode), "bit 12 is reserved or its feature hidden")   // LA57
        XCTAssertEqual(rules.refusal(1 << 32, state: GuestControlState(cr0: 1)), "bit 32 is reserved or its feature hidden")
    }

    func testStateRules() {
        let rules = policy(host: everything)
        var user = longMode
        user.privilegeLevel = 3
        XCTAssertEqual(rules.refusal(0x620, state: user), "not in ring 0")
        XCTAssertEqual(rules.refusal(0x600, state: longMode), "clearing PAE in long mode")
        XCTAssertNil(rules.refusal(0x600, state: GuestControlState(cr0: 1)), "PAE may go outside long mode")

        let pcide: UInt64 = 1 << 17
        XCTAssertEqual(rules.refusal(0x20 | pcide, state: GuestControlState(cr0: 1)), "PCIDE outside long mode")
        XCTAssertNil(rules.refusal(0x620 | pcide, state: longMode))
        var tagged = longMode
        tagged.cr3 = 0x1000 | 0x5
        XCTAssertEqual(rules.refusal(0x620 | pcide, state: tagged), "PCIDE with CR3[11:0] not 0")
        tagged.cr4 |= pcide
        XCTAssertNil(rules.refusal(0x620 | pcide, state: tagged), "only setting it checks CR3")
    }
}
