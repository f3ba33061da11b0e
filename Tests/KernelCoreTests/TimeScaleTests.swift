import XCTest
import XenPublic
@testable import KernelCore

/// The TSC-to-nanoseconds arithmetic of vcpu_time_info (Xen's formula), and
/// what the hypervisor publishes in shared_info.
final class TimeScaleTests: XCTestCase {
    /// ticks * 10^9 / frequency, exactly (as a Double, good to well under 1 ns here).
    private func exact(_ ticks: UInt64, _ frequency: UInt64) -> Double {
        Double(ticks) * 1e9 / Double(frequency)
    }

    func testMultiplierIsAFractionWithFullPrecision() {
        for frequency: UInt64 in [1, 4_002_639, 62_500_000, 999_999_999, 1_000_000_000, 1_000_000_001,
                                  2_299_920_804, 4_961_439_000, 12_000_000_000] {
            let scale = TimeScale(frequency: frequency)
            XCTAssertGreaterThanOrEqual(scale.multiplier, 1 << 31, "\(frequency) Hz")
        }
    }

    func testOneGigahertzIsTheIdentity() {
        let scale = TimeScale(frequency: 1_000_000_000)
        XCTAssertEqual(scale.shift, 1)
        XCTAssertEqual(scale.multiplier, 1 << 31)
        for ticks: UInt64 in [0, 1, 999, 1_000_000_007, 1 << 40] {
            XCTAssertEqual(scale.nanoseconds(ticks), ticks)
        }
    }

    func testScalesMatchTheExactConversion() {
        // QEMU's host TSC, a 5 GHz part, Bochs' 4 MHz, and the APIC timer's rate.
        for frequency: UInt64 in [2_299_920_804, 5_000_000_000, 4_002_639, 62_500_000] {
            let scale = TimeScale(frequency: frequency)
            for ticks: UInt64 in [1, 1_000, 123_456_789, frequency, 3_600 * frequency] {
                let expected = exact(ticks, frequency)
                let got = Double(scale.nanoseconds(ticks))
                // The fraction is good to 2^-31 relative, the frequency was
                // shifted before dividing (under 10^-9), a negative shift
                // drops the lowest tick bit, and the result is truncated.
                XCTAssertEqual(got, expected, accuracy: expected * 2e-9 + 2.0, "\(ticks) ticks at \(frequency) Hz")
            }
        }
    }

    func testShiftSignFollowsTheFrequency() {
        XCTAssertLessThan(TimeScale(frequency: 2_300_000_000).shift, 0)   // slowed down
        XCTAssertGreaterThan(TimeScale(frequency: 4_000_000).shift, 0)    // sped up
    }

    func testFrequencyRoundTrips() {
        for frequency: UInt64 in [4_002_639, 2_299_920_804, 3_000_000_000] {
            let back = TimeScale(frequency: frequency).frequency
            XCTAssertEqual(Double(back), Double(frequency), accuracy: Double(frequency) * 1e-8)
        }
    }

    func testTheClockCountsFromItsFirstReading() {
        var counter: UInt64 = 5_000
        let clock = SystemClock(frequency: 2_000_000_000) { counter }
        XCTAssertEqual(clock.now(), 0)
        counter += 2_000_000_000
        XCTAssertEqual(clock.now(), 1_000_000_000)
        XCTAssertEqual(clock.reading().counter, 2_000_005_000)
    }

    // MARK: - vcpu_time_info in shared_info

    func testPublishedTimeLetsTheGuestComputeNow() throws {
        let fixture = HypervisorFixture()
        defer { fixture.release() }
        let domain = fixture.domU
        var counter: UInt64 = 77
        let clock = SystemClock(frequency: 2_299_920_804) { counter }
        let page = try XCTUnwrap(SharedInfoPage(frames: fixture.fake))
        domain.sharedInfo = page
        let vcpu = domain.vcpus[0]
        counter += 1_000_000
        domain.publishTime(of: vcpu, clock: clock)

        let info = fixture.fake.physicalMemory.pointer(page.hostFrame).load(as: vcpu_info.self).time
        XCTAssertEqual(info.version, 2)
        XCTAssertEqual(info.tsc_timestamp, counter)
        XCTAssertEqual(info.system_time, clock.now())
        XCTAssertEqual(info.tsc_to_system_mul, clock.scale.multiplier)
        XCTAssertEqual(info.tsc_shift, clock.scale.shift)
        XCTAssertEqual(info.flags, UInt8(XEN_PVCLOCK_TSC_STABLE_BIT))

        // The guest's side, by the header's formula, one second later.
        counter += 2_299_920_804
        let delta = counter - info.tsc_timestamp
        let shifted = info.tsc_shift >= 0 ? delta << UInt64(info.tsc_shift) : delta >> UInt64(-Int(info.tsc_shift))
        let product = shifted.multipliedFullWidth(by: UInt64(info.tsc_to_system_mul))
        let guestNow = info.system_time + ((product.high << 32) | (product.low >> 32))
        XCTAssertEqual(Double(guestNow), Double(clock.now()), accuracy: 1)

        domain.publishTime(of: vcpu, clock: clock)
        XCTAssertEqual(fixture.fake.physicalMemory.pointer(page.hostFrame).load(as: vcpu_info.self).time.version, 4)
    }

    func testEachVCPUHasItsOwnSlot() throws {
        let fixture = HypervisorFixture()
        defer { fixture.release() }
        let domain = fixture.domU
        let page = try XCTUnwrap(SharedInfoPage(frames: fixture.fake))
        domain.sharedInfo = page
        domain.vcpus.append(VCPU(domainID: domain.id, index: 1))
        domain.vcpus.append(VCPU(domainID: domain.id, index: 32))
        domain.markEventPending(for: domain.vcpus[1])
        let base = fixture.fake.physicalMemory.pointer(page.hostFrame)
        XCTAssertEqual(base.load(fromByteOffset: 0, as: UInt8.self), 0)
        XCTAssertEqual(base.load(fromByteOffset: 64, as: UInt8.self), 1)
        XCTAssertNil(page.slot(domain.vcpus[2]))              // beyond the page's slots
        domain.markEventPending(for: domain.vcpus[2])          // ignored
    }

    func testThePageIsFreedWithItsOwner() {
        let frames = FakePhysicalMemory(frames: 4)
        var page: SharedInfoPage? = SharedInfoPage(frames: frames)
        XCTAssertEqual(frames.allocatedFrames, 1)
        XCTAssertNotNil(page)
        page = nil
        XCTAssertEqual(frames.allocatedFrames, 0)
        XCTAssertTrue(frames.badFrees.isEmpty)
    }
}
