import XCTest
import XenPublic
@testable import KernelCore

/// Argument checking of the time hypercalls: vcpu_op (one-shot timer),
/// set_timer_op, SCHEDOP_poll, and XENMEM_add_to_physmap for shared_info.
final class TimerHypercallTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private let clock = ManualClock()
    private var domU: Domain { fixture.domU }
    private var timers: VCPUTimers { domU.vcpus[0].timers }
    private let millisecond = SystemTime.millisecond

    override func setUp() {
        fixture = HypervisorFixture()
        clock.install()
        clock.now = 50 * millisecond
    }

    override func tearDown() {
        fixture.release()
        ManualClock.uninstall()
    }

    private func use64BitConvention() { fixture.backend.state.efer = 1 << 10 }

    private func vcpuOp(_ command: Int32, vcpu: UInt64 = 0, _ argument: UInt64 = 0) -> UInt64 {
        fixture.call(domU, __HYPERVISOR_vcpu_op, UInt64(UInt32(bitPattern: command)), vcpu, argument)
    }

    /// struct vcpu_set_singleshot_timer at `address` in domU's memory.
    private func writeTimerRequest(_ timeout: UInt64, flags: UInt32, at address: UInt64 = 0x2000) {
        domU.memory.put(vcpu_set_singleshot_timer(timeout_abs_ns: timeout, flags: flags), at: address)
    }

    /// A 32-bit guest's compat_vcpu_set_singleshot_timer (12 bytes).
    private func writeCompatTimerRequest(_ timeout: UInt64, flags: UInt32, at address: UInt64) {
        domU.memory.put(compat_vcpu_set_singleshot_timer(timeout_abs_ns: timeout, flags: flags), at: address)
    }

    // MARK: - vcpu_op

    func testSetSingleShotTimerArmsTheCallersTimer() {
        writeTimerRequest(80 * millisecond, flags: 0)
        XCTAssertEqual(vcpuOp(VCPUOP_set_singleshot_timer, 0x2000), ReturnValue.ok)
        XCTAssertEqual(timers.singleShotDeadline, 80 * millisecond)
        XCTAssertNil(fixture.dom0.vcpus[0].timers.singleShotDeadline)
    }

    func testAPastTimeoutIsAcceptedAndFiresAtOnce() {
        writeTimerRequest(10 * millisecond, flags: 0)
        XCTAssertEqual(vcpuOp(VCPUOP_set_singleshot_timer, 0x2000), ReturnValue.ok)
        var copy = timers
        XCTAssertTrue(copy.expire(now: clock.now).singleShotFired)
    }

    func testAPastTimeoutWithTheFutureFlagIsETIME() {
        writeTimerRequest(80 * millisecond, flags: 0)
        XCTAssertEqual(vcpuOp(VCPUOP_set_singleshot_timer, 0x2000), ReturnValue.ok)
        writeTimerRequest(10 * millisecond, flags: UInt32(VCPU_SSHOTTMR_future))
        XCTAssertEqual(vcpuOp(VCPUOP_set_singleshot_timer, 0x2000), UInt64(bitPattern: -Int64(XEN_ETIME)))
        XCTAssertEqual(timers.singleShotDeadline, 80 * millisecond)      // left as it was
        writeTimerRequest(60 * millisecond, flags: UInt32(VCPU_SSHOTTMR_future))
        XCTAssertEqual(vcpuOp(VCPUOP_set_singleshot_timer, 0x2000), ReturnValue.ok)
        XCTAssertEqual(timers.singleShotDeadline, 60 * millisecond)
    }

    func testStopSingleShotTimer() {
        domU.vcpus[0].timers.singleShotDeadline = 70 * millisecond
        XCTAssertEqual(vcpuOp(VCPUOP_stop_singleshot_timer), ReturnValue.ok)
        XCTAssertNil(timers.singleShotDeadline)
    }

    func testAVCPUTheDomainLacksIsENOENT() {
        writeTimerRequest(80 * millisecond, flags: 0)
        XCTAssertEqual(vcpuOp(VCPUOP_set_singleshot_timer, vcpu: 1, 0x2000), UInt64(bitPattern: -2))
        XCTAssertEqual(vcpuOp(VCPUOP_stop_singleshot_timer, vcpu: 0xFFFF_FFFF), UInt64(bitPattern: -2))
        XCTAssertNil(timers.singleShotDeadline)
    }

    func testAnotherVCPUIsEINVAL() {
        domU.vcpus.append(VCPU(domainID: domU.id, index: 1))
        writeTimerRequest(80 * millisecond, flags: 0)
        XCTAssertEqual(vcpuOp(VCPUOP_set_singleshot_timer, vcpu: 1, 0x2000), ReturnValue.EINVAL)
        XCTAssertEqual(vcpuOp(VCPUOP_stop_singleshot_timer, vcpu: 1), ReturnValue.EINVAL)
        XCTAssertNil(domU.vcpus[1].timers.singleShotDeadline)
    }

    func testAnUnreadableArgumentIsEFAULT() {
        XCTAssertEqual(vcpuOp(VCPUOP_set_singleshot_timer, HypervisorFixture.memoryBytes - 4), ReturnValue.EFAULT)
        XCTAssertNil(timers.singleShotDeadline)
    }

    /// The fields come from their own offsets: a timeout whose halves
    /// differ, and the future flag that only works at offset 8.
    func testSingleShotTimerFieldsFromA64BitGuest() {
        use64BitConvention()
        writeTimerRequest(0x0000_0001_0000_0002, flags: 0)
        XCTAssertEqual(vcpuOp(VCPUOP_set_singleshot_timer, 0x2000), ReturnValue.ok)
        XCTAssertEqual(timers.singleShotDeadline, 0x0000_0001_0000_0002)
        writeTimerRequest(10 * millisecond, flags: UInt32(VCPU_SSHOTTMR_future))
        XCTAssertEqual(vcpuOp(VCPUOP_set_singleshot_timer, 0x2000), UInt64(bitPattern: -Int64(XEN_ETIME)))
    }

    /// Xen copies all 16 bytes of a 64-bit guest's struct, its tail padding
    /// too: one that ends 4 bytes early at the end of RAM is EFAULT.
    func testA64BitGuestsTimerRequestIsSixteenBytes() {
        use64BitConvention()
        let end = HypervisorFixture.memoryBytes
        writeCompatTimerRequest(80 * millisecond, flags: 0, at: end - 12)
        XCTAssertEqual(vcpuOp(VCPUOP_set_singleshot_timer, end - 12), ReturnValue.EFAULT)
        XCTAssertNil(timers.singleShotDeadline)
        writeTimerRequest(80 * millisecond, flags: 0, at: end - 16)
        XCTAssertEqual(vcpuOp(VCPUOP_set_singleshot_timer, end - 16), ReturnValue.ok)
        XCTAssertEqual(timers.singleShotDeadline, 80 * millisecond)
    }

    /// A 32-bit guest's struct has no tail padding: 12 bytes at the very
    /// end of RAM are enough.
    func testA32BitGuestsTimerRequestIsTwelveBytes() {
        let end = HypervisorFixture.memoryBytes
        writeCompatTimerRequest(0x0000_0001_0000_0002, flags: 0, at: end - 12)
        XCTAssertEqual(vcpuOp(VCPUOP_set_singleshot_timer, end - 12), ReturnValue.ok)
        XCTAssertEqual(timers.singleShotDeadline, 0x0000_0001_0000_0002)
        writeCompatTimerRequest(10 * millisecond, flags: UInt32(VCPU_SSHOTTMR_future), at: end - 12)
        XCTAssertEqual(vcpuOp(VCPUOP_set_singleshot_timer, end - 12), UInt64(bitPattern: -Int64(XEN_ETIME)))
        XCTAssertEqual(vcpuOp(VCPUOP_set_singleshot_timer, end - 8), ReturnValue.EFAULT)
    }

    func testOtherCommandsAreENOSYS() {
        for command: Int32 in [0, 1, 6, 11, 99, -1] {
            XCTAssertEqual(vcpuOp(command), ReturnValue.ENOSYS, "VCPUOP \(command)")
        }
    }

    func testStopPeriodicTimerHasNothingToStop() {
        XCTAssertEqual(vcpuOp(VCPUOP_stop_periodic_timer), ReturnValue.ok)
        XCTAssertEqual(vcpuOp(VCPUOP_stop_periodic_timer, vcpu: 3), UInt64(bitPattern: -2))
    }

    // MARK: - VCPUOP_register_vcpu_info

    /// struct vcpu_register_vcpu_info at 0x3000 in domU's memory.
    private func registerVCPUInfo(frame: UInt64, offset: UInt32, reserved: UInt32 = 0, vcpu: UInt64 = 0) -> UInt64 {
        domU.memory.put(vcpu_register_vcpu_info(mfn: frame, offset: offset, rsvd: reserved), at: 0x3000)
        return vcpuOp(VCPUOP_register_vcpu_info, vcpu: vcpu, 0x3000)
    }

    private func vcpuInfo(at guestPhysical: UInt64) -> vcpu_info {
        fixture.fake.physicalMemory.pointer(domU.memory.hostAddress(of: guestPhysical)!).load(as: vcpu_info.self)
    }

    func testRegisteredVCPUInfoCarriesTheOldContentsAndTheTime() throws {
        XCTAssertEqual(addToPhysmap(frame: 0x80), ReturnValue.ok)
        let slot = try XCTUnwrap(domU.sharedInfo?.slot(domU.vcpus[0]))
        slot.pointee.evtchn_upcall_mask = 1
        clock.now = 70 * millisecond
        XCTAssertEqual(registerVCPUInfo(frame: 0x50, offset: 0x40), ReturnValue.ok)
        let info = vcpuInfo(at: 0x50_040)
        XCTAssertEqual(info.evtchn_upcall_mask, 1)              // came along
        XCTAssertEqual(info.evtchn_upcall_pending, 1)           // rescan, in case
        XCTAssertEqual(info.evtchn_pending_sel, ~0)
        XCTAssertEqual(info.time.system_time, 70 * millisecond)

        // From now on the hypervisor writes there, not in shared_info.
        slot.pointee.evtchn_upcall_pending = 0
        domU.markEventPending(for: domU.vcpus[0])
        XCTAssertEqual(slot.pointee.evtchn_upcall_pending, 0)
        clock.now = 90 * millisecond
        domU.publishTime(of: domU.vcpus[0], clock: SystemTime.clock)
        XCTAssertEqual(vcpuInfo(at: 0x50_040).time.system_time, 90 * millisecond)
        XCTAssertEqual(slot.pointee.time.system_time, 50 * millisecond)
    }

    func testVCPUInfoWorksWithoutSharedInfo() {
        XCTAssertEqual(registerVCPUInfo(frame: 0x50, offset: 0), ReturnValue.ok)
        XCTAssertEqual(vcpuInfo(at: 0x50_000).time.system_time, 50 * millisecond)
        XCTAssertEqual(vcpuInfo(at: 0x50_000).time.version, 2)
    }

    func testVCPUInfoMayBePlacedForAnotherVCPU() {
        domU.vcpus.append(VCPU(domainID: domU.id, index: 1))
        XCTAssertEqual(registerVCPUInfo(frame: 0x51, offset: 0, vcpu: 1), ReturnValue.ok)
        XCTAssertEqual(domU.vcpus[1].registeredVCPUInfo, 0x51_000)
        XCTAssertNil(domU.vcpus[0].registeredVCPUInfo)
    }

    func testBadVCPUInfoPlacementsAreEINVAL() {
        let size = UInt32(MemoryLayout<vcpu_info>.size)
        XCTAssertEqual(registerVCPUInfo(frame: 0x50, offset: 4096 - size + 1), ReturnValue.EINVAL)   // crosses the page
        XCTAssertEqual(registerVCPUInfo(frame: 0x50, offset: 0xFFFF_FFF0), ReturnValue.EINVAL)
        XCTAssertEqual(registerVCPUInfo(frame: 0x50, offset: 0, reserved: 1), ReturnValue.EINVAL)
        XCTAssertEqual(registerVCPUInfo(frame: 0x1000, offset: 0), ReturnValue.EINVAL)              // not RAM
        XCTAssertEqual(registerVCPUInfo(frame: ~0, offset: 0), ReturnValue.EINVAL)
        XCTAssertEqual(registerVCPUInfo(frame: 0x50, offset: 0, vcpu: 1), UInt64(bitPattern: -2))
        XCTAssertNil(domU.vcpus[0].registeredVCPUInfo)
        XCTAssertEqual(vcpuOp(VCPUOP_register_vcpu_info, HypervisorFixture.memoryBytes - 8), ReturnValue.EFAULT)

        XCTAssertEqual(registerVCPUInfo(frame: 0x50, offset: 4096 - size), ReturnValue.ok)          // the last place that fits
        XCTAssertEqual(registerVCPUInfo(frame: 0x52, offset: 0), ReturnValue.EINVAL)                // only once
        XCTAssertEqual(domU.vcpus[0].registeredVCPUInfo, 0x50_000 + UInt64(4096 - size))
    }

    func testAVCPUInfoFrameGivenAwayIsNoLongerWritten() throws {
        XCTAssertEqual(registerVCPUInfo(frame: 0x50, offset: 0), ReturnValue.ok)
        try domU.memory.depopulate(frame: 0x50)
        XCTAssertNil(domU.vcpuInfo(of: domU.vcpus[0]))
        domU.markEventPending(for: domU.vcpus[0])                 // nothing to write, nothing written
        domU.publishTime(of: domU.vcpus[0], clock: SystemTime.clock)
    }

    // MARK: - set_timer_op

    func testSetTimerOpArmsAndZeroStops() {
        use64BitConvention()
        XCTAssertEqual(fixture.call(domU, __HYPERVISOR_set_timer_op, 90 * millisecond), ReturnValue.ok)
        XCTAssertEqual(timers.singleShotDeadline, 90 * millisecond)
        XCTAssertEqual(fixture.call(domU, __HYPERVISOR_set_timer_op, 0), ReturnValue.ok)
        XCTAssertNil(timers.singleShotDeadline)
    }

    func testSetTimerOpFromA32BitGuestTakesTwoHalves() {
        let timeout: UInt64 = 0x1_0000_0005
        XCTAssertEqual(fixture.call(domU, __HYPERVISOR_set_timer_op, timeout & 0xFFFF_FFFF, timeout >> 32), ReturnValue.ok)
        XCTAssertEqual(timers.singleShotDeadline, timeout)
    }

    func testImplausibleTimeoutsFireIn100Milliseconds() {
        use64BitConvention()
        for timeout in [UInt64(bitPattern: -5), clock.now + (1 << 50) + 1] {
            XCTAssertEqual(fixture.call(domU, __HYPERVISOR_set_timer_op, timeout), ReturnValue.ok)
            XCTAssertEqual(timers.singleShotDeadline, clock.now + 100 * millisecond)
        }
        XCTAssertEqual(fixture.call(domU, __HYPERVISOR_set_timer_op, clock.now + (1 << 49)), ReturnValue.ok)
        XCTAssertEqual(timers.singleShotDeadline, clock.now + (1 << 49))
    }

    // MARK: - SCHEDOP_poll

    /// struct sched_poll, 64-bit layout, at 0x3000; ports at 0x3100.
    private func poll(ports: UInt32, timeout: UInt64, portsAt: UInt64 = 0x3100) -> UInt64 {
        use64BitConvention()
        domU.memory.put(sched_poll(ports: portsAt, nr_ports: ports, timeout: timeout), at: 0x3000)
        return fixture.call(domU, __HYPERVISOR_sched_op, UInt64(SCHEDOP_poll), 0x3000)
    }

    /// A 32-bit guest's compat_sched_poll (16 bytes) at `address`.
    private func compatPoll(ports: UInt32, timeout: UInt64, portsAt: UInt32 = 0x3100,
                            at address: UInt64 = 0x3000) -> UInt64 {
        domU.memory.put(compat_sched_poll(ports: portsAt, nr_ports: ports, timeout: timeout), at: address)
        return fixture.call(domU, __HYPERVISOR_sched_op, UInt64(SCHEDOP_poll), address)
    }

    func testPollBlocksUntilItsTimeout() {
        XCTAssertEqual(poll(ports: 2, timeout: 70 * millisecond), ReturnValue.ok)
        XCTAssertEqual(domU.state, .blocked)
        XCTAssertEqual(timers.pollDeadline, 70 * millisecond)
        XCTAssertNil(timers.singleShotDeadline)
    }

    func testPollWithoutTimeoutBlocksWithoutOne() {
        XCTAssertEqual(poll(ports: 0, timeout: 0), ReturnValue.ok)
        XCTAssertEqual(domU.state, .blocked)
        XCTAssertNil(timers.pollDeadline)
    }

    func testPollChecksItsArguments() {
        XCTAssertEqual(poll(ports: 129, timeout: 70 * millisecond), ReturnValue.EINVAL)
        XCTAssertEqual(poll(ports: 4, timeout: 70 * millisecond, portsAt: HypervisorFixture.memoryBytes - 8),
                       ReturnValue.EFAULT)
        XCTAssertEqual(domU.state, .running)
        XCTAssertEqual(fixture.call(domU, __HYPERVISOR_sched_op, UInt64(SCHEDOP_poll), HypervisorFixture.memoryBytes),
                       ReturnValue.EFAULT)
    }

    func testPollFromA32BitGuest() {
        let end = HypervisorFixture.memoryBytes
        XCTAssertEqual(compatPoll(ports: 129, timeout: 70 * millisecond), ReturnValue.EINVAL, "nr_ports at 4")
        XCTAssertEqual(compatPoll(ports: 4, timeout: 70 * millisecond, portsAt: UInt32(end - 8)), ReturnValue.EFAULT,
                       "ports at 0, 4 bytes")
        XCTAssertEqual(domU.state, .running)
        XCTAssertEqual(compatPoll(ports: 2, timeout: 0x0000_0001_0000_0002, at: end - 16), ReturnValue.ok,
                       "16 bytes, timeout at 8")
        XCTAssertEqual(domU.state, .blocked)
        XCTAssertEqual(timers.pollDeadline, 0x0000_0001_0000_0002)
    }

    func testA64BitGuestsPollIsTwentyFourBytes() {
        use64BitConvention()
        let end = HypervisorFixture.memoryBytes
        domU.memory.put(sched_poll(ports: 0x3100, nr_ports: 1, timeout: 70 * millisecond), at: end - 24)
        XCTAssertEqual(fixture.call(domU, __HYPERVISOR_sched_op, UInt64(SCHEDOP_poll), end - 24), ReturnValue.ok)
        XCTAssertEqual(timers.pollDeadline, 70 * millisecond, "timeout at 16")
        domU.state = .running
        XCTAssertEqual(fixture.call(domU, __HYPERVISOR_sched_op, UInt64(SCHEDOP_poll), end - 16), ReturnValue.EFAULT)
    }

    func testPollWithATimerEventWaitingReturnsAtOnce() {
        domU.vcpus[0].timers.eventPending = true
        XCTAssertEqual(poll(ports: 1, timeout: 70 * millisecond), ReturnValue.ok)
        XCTAssertEqual(domU.state, .running)
    }

    // MARK: - XENMEM_add_to_physmap, XENMAPSPACE_shared_info

    /// struct xen_add_to_physmap (64-bit layout) at 0x4000.
    private func addToPhysmap(domain id: UInt16 = UInt16(DOMID_SELF), space: UInt32 = UInt32(XENMAPSPACE_shared_info),
                              index: UInt64 = 0, frame: UInt64, caller: Domain? = nil) -> UInt64 {
        use64BitConvention()
        let caller = caller ?? domU
        caller.memory.put(xen_add_to_physmap(domid: id, size: 0, space: space, idx: index, gpfn: frame), at: 0x4000)
        return fixture.call(caller, __HYPERVISOR_memory_op, UInt64(XENMEM_add_to_physmap), 0x4000)
    }

    /// A 32-bit guest's compat_add_to_physmap (16 bytes) at `address`.
    private func compatAddToPhysmap(domain id: UInt16 = UInt16(DOMID_SELF), space: UInt32 = UInt32(XENMAPSPACE_shared_info),
                                    index: UInt32 = 0, frame: UInt32, at address: UInt64 = 0x4000) -> UInt64 {
        domU.memory.put(compat_add_to_physmap(domid: id, size: 0, space: space, idx: index, gpfn: frame), at: address)
        return fixture.call(domU, __HYPERVISOR_memory_op, UInt64(XENMEM_add_to_physmap), address)
    }

    func testSharedInfoReplacesTheRAMPageItIsMappedOver() throws {
        let before = domU.memory.frameCount
        XCTAssertEqual(addToPhysmap(frame: 0x80), ReturnValue.ok)
        let page = try XCTUnwrap(domU.sharedInfo)
        XCTAssertEqual(page.guestFrame, 0x80)
        XCTAssertEqual(domU.memory.frameCount, before - 1)
        XCTAssertEqual(fixture.backend.translationFlushes, 1)
        // The time is there at once.
        let info = fixture.fake.physicalMemory.pointer(page.hostFrame).load(as: vcpu_info.self).time
        XCTAssertEqual(info.version, 2)
        XCTAssertEqual(info.system_time, clock.now)
    }

    func testMappingAgainMovesThePage() {
        XCTAssertEqual(addToPhysmap(frame: 0x80), ReturnValue.ok)
        let page = domU.sharedInfo
        XCTAssertEqual(addToPhysmap(frame: 0x200), ReturnValue.ok)      // beyond RAM: nothing to take away
        XCTAssertTrue(domU.sharedInfo === page)
        XCTAssertEqual(page?.guestFrame, 0x200)
        XCTAssertEqual(domU.memory.foreignMappings.map(\.guestFrame), [0x200])
    }

    func testOnlyIndexZeroOfTheSharedInfoSpace() {
        XCTAssertEqual(addToPhysmap(index: 1, frame: 0x80), ReturnValue.EINVAL)
        XCTAssertEqual(addToPhysmap(frame: UInt64(DomainMemory.frameLimit)), ReturnValue.EINVAL)
        XCTAssertEqual(addToPhysmap(space: 2, frame: 0x80), ReturnValue.ENOSYS)    // gmfn: not offered
        XCTAssertNil(domU.sharedInfo)
    }

    func testNamingAnotherDomainNeedsPrivilege() {
        XCTAssertEqual(addToPhysmap(domain: 0, frame: 0x80), ReturnValue.EPERM)
        XCTAssertEqual(addToPhysmap(domain: 1, frame: 0x90, caller: fixture.dom0), ReturnValue.ok)
        XCTAssertEqual(domU.sharedInfo?.guestFrame, 0x90)
        XCTAssertNil(fixture.dom0.sharedInfo)
    }

    func testSharedInfoFromA32BitGuest() {
        let end = HypervisorFixture.memoryBytes
        XCTAssertEqual(compatAddToPhysmap(space: 2, frame: 0x80), ReturnValue.ENOSYS, "space at 4")
        XCTAssertEqual(compatAddToPhysmap(index: 1, frame: 0x80), ReturnValue.EINVAL, "idx at 8")
        XCTAssertEqual(compatAddToPhysmap(domain: 0, frame: 0x80), ReturnValue.EPERM, "domid at 0")
        XCTAssertEqual(compatAddToPhysmap(frame: 0x81, at: end - 16), ReturnValue.ok, "16 bytes")
        XCTAssertEqual(domU.sharedInfo?.guestFrame, 0x81, "gpfn at 12")
        XCTAssertEqual(fixture.call(domU, __HYPERVISOR_memory_op, UInt64(XENMEM_add_to_physmap), end - 12),
                       ReturnValue.EFAULT)
    }

    func testA64BitGuestsAddToPhysmapIsTwentyFourBytes() {
        use64BitConvention()
        let end = HypervisorFixture.memoryBytes
        domU.memory.put(xen_add_to_physmap(domid: UInt16(DOMID_SELF), size: 0, space: UInt32(XENMAPSPACE_shared_info),
                                           idx: 0, gpfn: 0x83), at: end - 24)
        XCTAssertEqual(fixture.call(domU, __HYPERVISOR_memory_op, UInt64(XENMEM_add_to_physmap), end - 24), ReturnValue.ok)
        XCTAssertEqual(domU.sharedInfo?.guestFrame, 0x83, "gpfn at 16")
        XCTAssertEqual(fixture.call(domU, __HYPERVISOR_memory_op, UInt64(XENMEM_add_to_physmap), end - 16),
                       ReturnValue.EFAULT)
    }
}
