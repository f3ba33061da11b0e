import XCTest
@testable import XToolKit

final class ConsoleLinesTests: XCTestCase {
    func testLinesEndAtLineFeedsAndLoseTheirCarriageReturns() {
        XCTAssertEqual(ConsoleLines.all(in: "(HV) a\r\n(d0) b\n(HV) c\r\r\n(HV) d"), ["(HV) a", "(d0) b", "(HV) c", "(HV) d"])
        XCTAssertEqual(ConsoleLines.all(in: "\n\r\n(HV) a\n\n"), ["(HV) a"], "empty lines are left out")
    }

    func testALoneCarriageReturnStartsNoLine() {
        XCTAssertEqual(ConsoleLines.all(in: "(d1) x\r(HV) exit: success"), ["(d1) x\r(HV) exit: success"])
        XCTAssertEqual(ConsoleLines.starting(with: "(HV) ", in: "(d1) x\r(HV) exit: success\n"), [])
    }

    func testOnlyLinesThatStartWithTheMarker() {
        let transcript = "(HV) exit: failure\n(d1) (HV) exit: success\n  (HV) exit: success\n(HV) exit: panic\r\n"
        XCTAssertEqual(ConsoleLines.starting(with: "(HV) exit: ", in: transcript), ["(HV) exit: failure", "(HV) exit: panic"])
    }
}
