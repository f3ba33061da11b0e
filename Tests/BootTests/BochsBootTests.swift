import XCTest
import XToolKit

/// The VMX backend, under Bochs.
final class BochsBootTests: BootTestCase {
    func testBootsToSuccessWithVMX() {
        guard let result = boot(.bochs) else { return }
        assertStatus(result, .success)
        assertBanner(result, mentions: BootExpectations.bochsBackend)
    }

    func testInvalidOpcodePanics() {
        guard let result = boot(.bochs, cmdline: BootExpectations.faultCmdline) else { return }
        assertStatus(result, .panic)
        assertContains(result, BootExpectations.panicWords)
    }
}
