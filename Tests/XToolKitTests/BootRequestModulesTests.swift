import XCTest
@testable import XToolKit

final class BootRequestModulesTests: XCTestCase {
    private let root = URL(fileURLWithPath: "/p", isDirectory: true)

    func testDefaultIsDom0Alone() {
        XCTAssertEqual(BootRequest().modules(root: root), [BootModule(file: URL(fileURLWithPath: "/p/build/guests/dom0.elf"))])
        XCTAssertNil(BootRequest().manifest)
    }

    func testDom0IsReplacedAndModulesFollowIt() {
        let dom0 = BootModule(file: URL(fileURLWithPath: "/x/linux"), arguments: "console=hvc0")
        let extra = BootModule(file: URL(fileURLWithPath: "/x/initrd"))
        let request = BootRequest(dom0: dom0, extraModules: [extra])
        XCTAssertEqual(request.modules(root: root), [dom0, extra])
    }

    func testDomainsAddTheManifestAndKernelsBeforeTheExtraModules() {
        let worker = URL(fileURLWithPath: "/p/build/guests/worker.elf")
        let extra = BootModule(file: URL(fileURLWithPath: "/x/data"), arguments: "blob")
        let request = BootRequest(
            extraModules: [extra],
            domains: [DomainConfig(name: "a", kernel: worker), DomainConfig(name: "b", kernel: worker)]
        )
        XCTAssertEqual(request.modules(root: root), [
            BootModule(file: URL(fileURLWithPath: "/p/build/guests/dom0.elf")),
            BootModule(file: URL(fileURLWithPath: "/p/build/manifest.txt"), arguments: "manifest"),
            BootModule(file: worker),
            extra,
        ])
    }

    func testIcountOnlyOnQEMU() {
        XCTAssertNil(BootRequest.icountProblem(icount: true, machine: .qemu))
        XCTAssertNil(BootRequest.icountProblem(icount: true, machine: .auto))
        XCTAssertNil(BootRequest.icountProblem(icount: false, machine: .bochs))
        XCTAssertEqual(BootRequest.icountProblem(icount: true, machine: .bochs),
                       "--icount needs QEMU's TCG (--machine qemu): bochs cannot count instructions")
        XCTAssertNotNil(BootRequest.icountProblem(icount: true, machine: .kvm))
    }
}
