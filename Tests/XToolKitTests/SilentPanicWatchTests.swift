import XCTest
@testable import XToolKit

final class SilentPanicWatchTests: XCTestCase {
    private let start = Date(timeIntervalSince1970: 1_000)
    private let panicLine = "00086627765p[CPU0  ] >>PANIC<< exception(): 3rd (13) exception with no resolution"

    private func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    func testQuietAfterAPanicMeansDead() {
        var watch = SilentPanicWatch()
        watch.logLines(["00001i[CPU0  ] CPU is in long mode", panicLine], consoleBytes: 1000, at: at(0))
        watch.console(bytes: 1000 + 40)   // the UART's last bytes, still on their way
        XCTAssertFalse(watch.machineIsDead(at: at(5)))
        XCTAssertTrue(watch.machineIsDead(at: at(5.1)))
    }

    func testAReportAfterThePanicMeansAlive() {
        var watch = SilentPanicWatch()
        watch.logLines([panicLine], consoleBytes: 1000, at: at(0))
        watch.console(bytes: 1000 + SilentPanicWatch.bytesInFlight + 1)
        XCTAssertFalse(watch.machineIsDead(at: at(60)))
    }

    func testASecondPanicArmsItAgain() {
        var watch = SilentPanicWatch()
        watch.logLines([panicLine], consoleBytes: 100, at: at(0))
        watch.console(bytes: 2000)
        watch.logLines([panicLine], consoleBytes: 2000, at: at(10))
        XCTAssertFalse(watch.machineIsDead(at: at(14)))
        XCTAssertTrue(watch.machineIsDead(at: at(16)))
    }

    func testNoPanicNeverDead() {
        var watch = SilentPanicWatch()
        watch.logLines(["00000i[      ] reading configuration from bochsrc"], consoleBytes: 0, at: at(0))
        XCTAssertFalse(watch.machineIsDead(at: at(1000)))
    }
}
