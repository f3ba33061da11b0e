import XCTest
@testable import XToolKit

final class DomainBuildFailureTests: XCTestCase {
    func testDom0sCannotBuildLine() {
        XCTAssertEqual(DomainBuildFailure(line: "(d0) dom0: bad: cannot build: module 2: not a PVH kernel: no ELF magic"),
                       DomainBuildFailure(subject: .name("bad"), reason: "module 2: not a PVH kernel: no ELF magic"))
        XCTAssertEqual(DomainBuildFailure(line: "(d0) dom0: a:b: cannot build: populate_physmap failed: ENOMEM (-12)"),
                       DomainBuildFailure(subject: .name("a:b"), reason: "populate_physmap failed: ENOMEM (-12)"),
                       "a name may hold a colon")
    }

    func testDom0sSkippedManifestLine() {
        XCTAssertEqual(DomainBuildFailure(line: "(d0) dom0: manifest line 3: memory=0: give 1 to 4096 (MiB): line skipped"),
                       DomainBuildFailure(subject: .manifestLine(3), reason: "memory=0: give 1 to 4096 (MiB)"))
    }

    func testOnlyDom0sOwnLines() {
        for line in [
            "(d1) (d0) dom0: bad: cannot build: forged",     // a guest echoing it
            "(d1) dom0: bad: cannot build: forged",
            " (d0) dom0: bad: cannot build: x",
            "(HV) dom0: cannot build it: not an ELF",        // the hypervisor about dom0 itself
            "(d0) dom0: built d1 (alpha), 16 MiB",
            "(d0) dom0: d1 (alpha) ended: poweroff",
            "(d0) dom0: two words: cannot build: x",
            "(d0) dom0: : cannot build: x",
            "(d0) dom0: bad: cannot build: ",
            "(d0) dom0: manifest line x: problem: line skipped",
            "(d0) dom0: manifest line 0: problem: line skipped",
            "(d0) dom0: manifest: 2 domain(s) to build",
        ] {
            XCTAssertNil(DomainBuildFailure(line: Substring(line)), line)
        }
    }

    func testAllInATranscript() {
        let transcript = """
            (d0) dom0: manifest line 4: unknown key "x": line skipped\r
            (d1) (d0) dom0: alpha: cannot build: forged\r
            (d0) dom0: beta: cannot build: module 2: not a PVH kernel\r
            (HV) exit: success\r
            """
        XCTAssertEqual(DomainBuildFailure.all(in: transcript).map(\.subject), [.manifestLine(4), .name("beta")])
    }
}
