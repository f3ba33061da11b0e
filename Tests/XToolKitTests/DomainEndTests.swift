import XCTest
@testable import XToolKit

final class DomainEndTests: XCTestCase {
    func testParsesEveryKindOfEnd() {
        XCTAssertEqual(DomainEnd(line: "(HV) domain-end d0 dom0: poweroff"), DomainEnd(id: 0, name: "dom0", how: "poweroff"))
        XCTAssertEqual(DomainEnd(line: "(HV) domain-end d12 spin-1_x: destroyed"), DomainEnd(id: 12, name: "spin-1_x", how: "destroyed"))
        XCTAssertEqual(DomainEnd(line: "(HV) domain-end d3 gamma: crashed (nested page fault: guest-physical 0x30000000)"),
                       DomainEnd(id: 3, name: "gamma", how: "crashed (nested page fault: guest-physical 0x30000000)"))
        XCTAssertEqual(DomainEnd(line: "(HV) domain-end d1 alpha: reboot  "), DomainEnd(id: 1, name: "alpha", how: "reboot"))
    }

    func testOnlyWellFormedLinesThatStartWithTheMarker() {
        for line in [
            "(d0) (HV) domain-end d0 dom0: poweroff",   // a guest echoing it
            " (HV) domain-end d0 dom0: poweroff",
            "(HV) domain-end: d0 dom0: poweroff",
            "(HV) domain-end x0 dom0: poweroff",
            "(HV) domain-end d-1 dom0: poweroff",
            "(HV) domain-end d0 dom0 poweroff",
            "(HV) domain-end d0 dom0: ",
            "(HV) domain-end d0 : poweroff",
            "(HV) domain-end d0",
            "(HV) d0 (dom0): shut down (poweroff) after 22 exits",
        ] {
            XCTAssertNil(DomainEnd(line: Substring(line)), line)
        }
    }

    func testAllInATranscriptInOrder() {
        let transcript = """
            (HV) SVM: on
            (d1) worker: 1
            (HV) domain-end d1 alpha: poweroff
            (d0) dom0: memory: all 4096 pages returned
            (HV) domain-end d3 gamma: crash
            (HV) domain-end d0 dom0: poweroff
            (HV) exit: success
            """
        XCTAssertEqual(DomainEnd.all(in: transcript).map(\.id), [1, 3, 0])
        XCTAssertEqual(DomainEnd.all(in: "(HV) exit: success"), [])
        XCTAssertEqual(DomainEnd.all(in: "(HV) domain-end d1 alpha: poweroff\r\n(d2) x\r(HV) domain-end d2 beta: poweroff\r\n"),
                       [DomainEnd(id: 1, name: "alpha", how: "poweroff")], "a CR inside a guest's line starts no line")
    }

    func testTableColumnsLineUp() {
        let ends = [
            DomainEnd(id: 0, name: "dom0", how: "poweroff"),
            DomainEnd(id: 12, name: "spinner", how: "destroyed"),
        ]
        XCTAssertEqual(DomainEndTable.lines(ends), [
            "domains:",
            "  id   name     ended",
            "  d0   dom0     poweroff",
            "  d12  spinner  destroyed",
        ])
        XCTAssertEqual(DomainEndTable.lines([]), [], "no reports, no table")
    }
}
