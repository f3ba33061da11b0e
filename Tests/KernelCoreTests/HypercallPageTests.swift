import XCTest
import XenPublic
@testable import KernelCore

final class HypercallPageTests: XCTestCase {
    func testContents() {
        let page = HypercallPage.contents(hypercallInstruction: [0x0F, 0x01, 0xD9])
        XCTAssertEqual(page.count, 4096)
        XCTAssertEqual(Array(page[0..<10]), [0xB8, 0, 0, 0, 0, 0x0F, 0x01, 0xD9, 0xC3, 0xCC])
        XCTAssertEqual(Array(page[127 * 32..<127 * 32 + 9]), [0xB8, 127, 0, 0, 0, 0x0F, 0x01, 0xD9, 0xC3])
        XCTAssertEqual(page.filter { $0 == 0xC3 }.count, 128)
        XCTAssertEqual(page[4095], 0xCC)
    }

    func testInstallRefusesWhatTheGuestMayNotUse() {
        let fixture = HypervisorFixture()
        defer { fixture.release() }
        XCTAssertFalse(HypercallPage.install(value: 0x1001, in: fixture.domU, hypercallInstruction: [0x90]))
        XCTAssertFalse(HypercallPage.install(value: HypervisorFixture.memoryBytes, in: fixture.domU, hypercallInstruction: [0x90]))
        XCTAssertNil(fixture.domU.hypercallPage)
        XCTAssertTrue(HypercallPage.install(value: HypervisorFixture.memoryBytes - 4096, in: fixture.domU,
                                            hypercallInstruction: [0x90]))
        XCTAssertEqual(fixture.domU.hypercallPage, HypervisorFixture.memoryBytes - 4096)
        XCTAssertNil(fixture.dom0.hypercallPage)
    }
}
