import XCTest
@testable import XToolKit

/// A boot whose configs name alpha, beta and gamma (manifest lines 2, 3, 4).
final class UnbuiltDomainTests: XCTestCase {
    private let manifest = DomainManifest(domains: ["alpha", "beta", "gamma"].map {
        DomainConfig(name: $0, kernel: URL(fileURLWithPath: "/p/build/guests/worker.elf"))
    })

    private func result(_ transcript: String, _ status: BootStatus = .success) -> BootResult {
        BootResult(machine: .qemu, status: status, transcript: transcript, emulatorExitCode: 1, seconds: 1, warnings: [])
    }

    private let allRan = """
        (d0) dom0: built d1 (alpha), 16 MiB
        (HV) domain-end d1 alpha: poweroff
        (HV) domain-end d2 beta: poweroff
        (HV) domain-end d3 gamma: crash
        (HV) domain-end d0 dom0: poweroff
        (HV) exit: success
        """

    func testEveryDomainRan() {
        XCTAssertEqual(UnbuiltDomain.all(in: allRan, manifest: manifest), [])
        var boot = result(allRan)
        boot.requireDomainsBuilt(manifest)
        XCTAssertEqual(boot.status, .success)
        XCTAssertEqual(boot.warnings, [])
    }

    func testDomainDom0CouldNotBuildFailsTheBoot() {
        let transcript = """
            (d0) dom0: beta: cannot build: module 1: not a PVH kernel: no ELF magic
            (HV) domain-end d1 alpha: poweroff
            (HV) domain-end d2 gamma: poweroff
            (HV) domain-end d0 dom0: poweroff
            (HV) exit: success
            """
        XCTAssertEqual(UnbuiltDomain.all(in: transcript, manifest: manifest),
                       [UnbuiltDomain(name: "beta", reason: "module 1: not a PVH kernel: no ELF magic")])
        var boot = result(transcript)
        boot.requireDomainsBuilt(manifest)
        XCTAssertEqual(boot.status, .failure)
        XCTAssertEqual(boot.exitCode, 1)
        XCTAssertEqual(boot.warnings, ["dom0 did not build every configured domain (beta): the boot counts as a failure"])
        XCTAssertEqual(boot.domainTableLines, [
            "domains:",
            "  id  name   ended",
            "  d1  alpha  poweroff",
            "  d2  gamma  poweroff",
            "  d0  dom0   poweroff",
            "  -   beta   not built (module 1: not a PVH kernel: no ELF magic)",
        ])
    }

    func testHalfBuiltDomainShowsWhyNotDestroyed() {
        // Created, then destroyed again by dom0's builder: the hypervisor reports that end.
        let transcript = """
            (HV) domain-end d1 alpha: destroyed
            (d0) dom0: alpha: cannot build: populate_physmap failed: ENOMEM (-12)
            (HV) domain-end d2 beta: poweroff
            (HV) domain-end d3 gamma: poweroff
            (HV) exit: success
            """
        XCTAssertEqual(UnbuiltDomain.all(in: transcript, manifest: manifest),
                       [UnbuiltDomain(name: "alpha", id: 1, reason: "populate_physmap failed: ENOMEM (-12)")])
        var boot = result(transcript)
        boot.requireDomainsBuilt(manifest)
        XCTAssertEqual(boot.status, .failure)
        XCTAssertEqual(boot.domainTableLines[2], "  d1  alpha  not built (populate_physmap failed: ENOMEM (-12))")
        XCTAssertEqual(boot.domainTableLines.count, 5, "one row per domain")
    }

    func testSkippedManifestLineNamesItsDomain() {
        let transcript = """
            (d0) dom0: manifest line 4: memory=0: give 1 to 4096 (MiB): line skipped
            (HV) domain-end d1 alpha: poweroff
            (HV) domain-end d2 beta: poweroff
            (HV) exit: success
            """
        XCTAssertEqual(UnbuiltDomain.all(in: transcript, manifest: manifest),
                       [UnbuiltDomain(name: "gamma", reason: "memory=0: give 1 to 4096 (MiB)")])
    }

    func testSilentDom0StillFailsTheBoot() {
        // A dom0 that ignores the manifest (or stopped early) says nothing:
        // the missing ends alone show that the domains never ran.
        let transcript = "(HV) domain-end d0 dom0: poweroff\n(HV) exit: success\n"
        XCTAssertEqual(UnbuiltDomain.all(in: transcript, manifest: manifest).map(\.name), ["alpha", "beta", "gamma"])
        var boot = result(transcript)
        boot.requireDomainsBuilt(manifest)
        XCTAssertEqual(boot.status, .failure)
        XCTAssertEqual(boot.domainTableLines.last, "  -   gamma  no end reported")
    }

    func testAGuestCannotMakeADomainLookBuiltOrUnbuilt() {
        let transcript = """
            (d1) (HV) domain-end d2 beta: poweroff
            (d1) (d0) dom0: gamma: cannot build: forged
            (HV) domain-end d1 alpha: poweroff
            (HV) domain-end d3 gamma: poweroff
            (HV) exit: success
            """
        XCTAssertEqual(UnbuiltDomain.all(in: transcript, manifest: manifest), [UnbuiltDomain(name: "beta")])
    }

    func testOtherStatusesAreKept() {
        for status in [BootStatus.failure, .panic, .timeout, .noStatus] {
            var boot = result("(HV) domain-end d1 alpha: poweroff\n", status)
            boot.requireDomainsBuilt(manifest)
            XCTAssertEqual(boot.status, status)
            XCTAssertEqual(boot.unbuiltDomains.map(\.name), ["beta", "gamma"], "still shown in the table")
            XCTAssertEqual(boot.warnings, [])
        }
    }

    func testNoDomainsNoTable() {
        XCTAssertEqual(DomainEndTable.lines([], unbuilt: []), [])
        XCTAssertEqual(DomainEndTable.lines([], unbuilt: [UnbuiltDomain(name: "a", reason: "x")]),
                       ["domains:", "  id  name  ended", "  -   a     not built (x)"])
    }
}
