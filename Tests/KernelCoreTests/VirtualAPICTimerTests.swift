import XCTest
@testable import KernelCore

/// The virtual APIC's timer: deadlines in system time (ns) on a 100 MHz
/// bus, the current count worked out from them, one-shot and periodic.
final class VirtualAPICTimerTests: XCTestCase {
    private var apic = VirtualAPIC(vcpuIndex: 0)

    @discardableResult
    private func write(_ msr: UInt32, _ value: UInt64, now: UInt64 = 0) -> Bool {
        apic.writeMSR(msr, value, now: now)
    }

    private func currentCount(at now: UInt64) -> UInt64? { apic.readMSR(0x839, now: now) }

    /// Software-enabled, the timer on vector 0xEC (one-shot unless
    /// `periodic`), divided by `divide` (0xB: by 1, one count per 10 ns).
    private func configure(periodic: Bool = false, masked: Bool = false, divide: UInt64 = 0xB) {
        XCTAssertTrue(write(0x80F, 0x1FF))
        XCTAssertTrue(write(0x832, 0xEC | (periodic ? 0x2_0000 : 0) | (masked ? 0x1_0000 : 0)))
        XCTAssertTrue(write(0x83E, divide))
    }

    func testDivideConfigurationValues() {
        let divisors: [(UInt32, UInt64)] = [(0, 2), (1, 4), (2, 8), (3, 16), (8, 32), (9, 64), (10, 128), (11, 1)]
        for (configuration, divisor) in divisors {
            XCTAssertTrue(write(0x83E, UInt64(configuration)))
            XCTAssertEqual(apic.timerDivisor, divisor, "configuration \(configuration)")
            XCTAssertEqual(apic.readMSR(0x83E, now: 0), UInt64(configuration))
        }
    }

    func testOneShotDeadlineAndCurrentCount() {
        configure()
        XCTAssertTrue(write(0x838, 1000, now: 5000))
        XCTAssertEqual(apic.nextTimerDeadline, 15_000, "1000 counts of 10 ns after 5000")
        XCTAssertEqual(apic.readMSR(0x838, now: 9000), 1000, "the initial count reads back")
        XCTAssertEqual(currentCount(at: 5000), 1000)
        XCTAssertEqual(currentCount(at: 8000), 700)
        XCTAssertEqual(currentCount(at: 8005), 700, "a started count is not yet done")
        XCTAssertEqual(currentCount(at: 14_999), 1)
        XCTAssertEqual(currentCount(at: 15_000), 0)
        XCTAssertEqual(currentCount(at: 99_000), 0, "a one-shot count stays at 0")

        XCTAssertFalse(apic.fireTimer(now: 14_999))
        XCTAssertTrue(apic.interruptRequests.isEmpty)
        XCTAssertTrue(apic.fireTimer(now: 15_000))
        XCTAssertEqual(apic.highestDeliverableVector(), 0xEC)
        XCTAssertNil(apic.nextTimerDeadline, "one-shot: nothing more")
        XCTAssertFalse(apic.fireTimer(now: 30_000))
        XCTAssertEqual(currentCount(at: 30_000), 0)
    }

    func testTheResetDivisorIsTwo() {
        XCTAssertTrue(write(0x838, 100, now: 0))
        XCTAssertEqual(apic.nextTimerDeadline, 2000)
        XCTAssertEqual(currentCount(at: 1000), 50)
    }

    func testPeriodicDeadlinesAndCurrentCount() {
        configure(periodic: true)
        XCTAssertTrue(write(0x838, 500, now: 0))
        XCTAssertEqual(apic.nextTimerDeadline, 5000)
        XCTAssertEqual(currentCount(at: 2500), 250)
        XCTAssertEqual(currentCount(at: 7000), 300, "past the deadline, not yet fired: reloaded, 200 counts gone")

        XCTAssertTrue(apic.fireTimer(now: 7000))
        XCTAssertEqual(apic.nextTimerDeadline, 10_000, "the period goes on from 5000, not from 7000")
        XCTAssertEqual(currentCount(at: 7000), 300)
        XCTAssertEqual(apic.highestDeliverableVector(), 0xEC)
        apic.acknowledge(vector: 0xEC)
        XCTAssertTrue(write(0x80B, 0))

        XCTAssertFalse(apic.fireTimer(now: 9999))
        XCTAssertTrue(apic.fireTimer(now: 26_000), "three missed periods and a bit")
        XCTAssertEqual(apic.nextTimerDeadline, 30_000)
        XCTAssertEqual(apic.interruptRequests.highest, 0xEC, "one interrupt for all of them")
        XCTAssertEqual(currentCount(at: 26_000), 400)
    }

    func testAMaskedTimerCountsButRaisesNothing() {
        configure(masked: true)
        XCTAssertTrue(write(0x838, 10, now: 0))
        XCTAssertEqual(apic.nextTimerDeadline, 100)
        XCTAssertEqual(currentCount(at: 50), 5)
        XCTAssertTrue(apic.fireTimer(now: 100))
        XCTAssertTrue(apic.interruptRequests.isEmpty)
        XCTAssertNil(apic.nextTimerDeadline)
    }

    func testAZeroInitialCountStopsTheTimer() {
        configure(periodic: true)
        XCTAssertTrue(write(0x838, 100, now: 0))
        XCTAssertTrue(write(0x838, 0, now: 300))
        XCTAssertNil(apic.nextTimerDeadline)
        XCTAssertEqual(currentCount(at: 400), 0)
        XCTAssertFalse(apic.fireTimer(now: 5000))
    }

    func testANewInitialCountRestartsTheCount() {
        configure()
        XCTAssertTrue(write(0x838, 100, now: 0))
        XCTAssertTrue(write(0x838, 100, now: 600))
        XCTAssertEqual(apic.nextTimerDeadline, 1600)
        XCTAssertEqual(currentCount(at: 600), 100)
    }

    func testChangingTheDivisorKeepsTheCountAndChangesTheRate() {
        configure()
        XCTAssertTrue(write(0x838, 1000, now: 0))
        XCTAssertEqual(currentCount(at: 4000), 600)
        XCTAssertTrue(write(0x83E, 0, now: 4000))                 // by 2: 20 ns a count
        XCTAssertEqual(apic.nextTimerDeadline, 16_000)
        XCTAssertEqual(currentCount(at: 4000), 600)
        XCTAssertEqual(currentCount(at: 10_000), 300)
    }

    func testTheCurrentCountIsReadOnly() {
        configure()
        XCTAssertTrue(write(0x838, 1000, now: 0))
        XCTAssertFalse(write(0x839, 5, now: 10))
        XCTAssertEqual(currentCount(at: 1000), 900)
    }
}
