import XCTest
import XToolKit

/// The SVM backend, under QEMU's TCG.
final class QEMUBootTests: BootTestCase {
    func testBootsToSuccessWithSVM() {
        guard let result = boot(.qemu) else { return }
        assertStatus(result, .success)
        assertBanner(result, mentions: BootExpectations.qemuBackend)
    }

    func testInvalidOpcodePanics() {
        guard let result = boot(.qemu, cmdline: BootExpectations.faultCmdline) else { return }
        assertStatus(result, .panic)
        assertContains(result, BootExpectations.panicWords)
    }
}
