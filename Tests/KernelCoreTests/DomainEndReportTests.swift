import XCTest
import XenPublic
@testable import KernelCore

/// The counters printed when a domain ends: at the default level (info),
/// not at warning and above.
final class DomainEndReportTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private var savedThreshold = Log.threshold

    override func setUp() {
        fixture = HypervisorFixture()
        savedThreshold = Log.threshold
        _ = fixture.call(fixture.domU, __HYPERVISOR_xen_version, UInt64(XENVER_pagesize))
        _ = fixture.call(fixture.domU, __HYPERVISOR_sched_op, UInt64(SCHEDOP_shutdown), GuestBuffer.outside)
        fixture.domU.state = .shutdown(reason: 0)
    }

    override func tearDown() {
        Log.threshold = savedThreshold
        fixture.release()
    }

    func testInfoLevelPrintsHypercallCounters() {
        Log.threshold = .info
        let output = captureStandardOutput { self.fixture.hypervisor.domainFinished(self.fixture.domU) }
        XCTAssertTrue(output.contains("(HV) d1 (\(fixture.domU.name)): hypercalls: xen_version 1, sched_op 1 (1 failed)\n"), output)
    }

    func testWarningLevelPrintsNoCounters() {
        Log.threshold = .warning
        let output = captureStandardOutput { self.fixture.hypervisor.domainFinished(self.fixture.domU) }
        XCTAssertFalse(output.contains("hypercalls:"), output)
        XCTAssertFalse(output.contains("exits:"), output)
    }
}
