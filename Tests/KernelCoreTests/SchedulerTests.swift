import XCTest
import XenPublic
@testable import KernelCore

/// The credit scheduler on a manual clock: guests are scripted (ScriptedBackend),
/// time moves only when a guest "runs" or the CPU idles.
final class SchedulerTests: XCTestCase {
    private let clock = ManualClock()
    private var timer: ManualTimer!
    private var backend: ScriptedBackend!
    private var frames: FakePhysicalMemory!
    private var hypervisor: Hypervisor!
    private var scheduler: Scheduler!

    private let millisecond = SystemTime.millisecond

    override func setUp() {
        clock.install()
        timer = ManualTimer(clock: clock)
        backend = ScriptedBackend()
        frames = FakePhysicalMemory(frames: 64)
        hypervisor = Hypervisor(backend: backend, frames: frames, commandLine: [],
                                hostCPUID: { _, _ in CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0) })
        scheduler = Scheduler(hypervisor: hypervisor, timer: timer)
    }

    override func tearDown() {
        for domain in hypervisor.domains { domain.memory.release() }
        ManualClock.uninstall()
    }

    // MARK: - Building a world

    @discardableResult
    private func addDomain(_ id: UInt16, weight: UInt16 = CreditScheduler.defaultWeight,
                           program: @escaping (VCPU) -> VMExit) -> Domain {
        let domain = Domain(id: id, name: "d\(id)", isPrivileged: id == 0,
                            memory: DomainMemory(format: .npt, frames: hypervisor.frames)!)
        domain.vcpus.append(VCPU(domainID: id, index: 0))
        domain.state = .running
        domain.scheduling.weight = weight
        hypervisor.add(domain)
        backend.programs[id] = program
        return domain
    }

    /// A guest that never leaves by itself: it runs until the armed timer.
    private func spinner() -> (VCPU) -> VMExit {
        { [unowned self] _ in
            clock.now = max(clock.now + 1, timer.armed ?? clock.now + 1)
            return .make(.externalInterrupt)
        }
    }

    /// Runs the scheduler until `duration` of system time has passed.
    private func run(for duration: UInt64) {
        let end = clock.now + duration
        while clock.now < end {
            XCTAssertNil(scheduler.runOnce())
        }
    }

    private func share(_ domain: Domain) -> Double {
        let total = hypervisor.domains.reduce(0) { $0 + $1.scheduling.cpuTime }
        return Double(domain.scheduling.cpuTime) / Double(total)
    }

    // MARK: - Weights and slices

    func testWeightsGiveProportionalShares() {
        let a = addDomain(0, weight: 256, program: spinner())
        let b = addDomain(1, weight: 512, program: spinner())
        let c = addDomain(2, weight: 256, program: spinner())
        run(for: 3_000 * millisecond)
        XCTAssertEqual(share(a), 0.25, accuracy: 0.03)
        XCTAssertEqual(share(b), 0.50, accuracy: 0.03)
        XCTAssertEqual(share(c), 0.25, accuracy: 0.03)
    }

    func testEqualWeightsTakeTurnsSliceBySlice() {
        let a = addDomain(0, program: spinner())
        let b = addDomain(1, program: spinner())
        run(for: 1_000 * millisecond)
        XCTAssertEqual(share(a), 0.5, accuracy: 0.02)
        XCTAssertEqual(share(b), 0.5, accuracy: 0.02)
        XCTAssertEqual(Array(backend.runs.prefix(6)), [0, 1, 0, 1, 0, 1])
    }

    func testALoneSpinnerIsPreemptedEveryTimeSlice() {
        let domain = addDomain(0, program: spinner())
        run(for: 100 * millisecond)
        XCTAssertEqual(domain.scheduling.slices, 10)
        XCTAssertEqual(domain.scheduling.preemptions, 10)
        XCTAssertEqual(domain.vcpus[0].exitCount, 10)     // one timer exit per slice
        XCTAssertEqual(timer.halts, 0)
        XCTAssertEqual(domain.scheduling.cpuTime, 100 * millisecond, "what getdomaininfo reports as cpu_time")
    }

    /// The fast path (SchedulingEffect): CPUID exits go straight back into
    /// the guest without arming the timer again, and the slice still ends
    /// when the armed timer's interrupt comes.
    func testExitsThatChangeNothingDoNotRearmTheTimer() {
        let domain = addDomain(0) { [unowned self] _ in
            clock.now += 10_000     // 10 µs of guest time per CPUID
            if let armed = timer.armed, clock.now >= armed { return .make(.externalInterrupt) }
            return .make(.cpuid, length: 2)
        }
        run(for: 10 * CreditScheduler.timeSlice)
        XCTAssertEqual(domain.scheduling.slices, 10)
        XCTAssertEqual(domain.scheduling.preemptions, 10, "each slice still ends at its timer")
        XCTAssertGreaterThan(domain.vcpus[0].exitCount, 1000, "\(domain.vcpus[0].exitCount) exits")
        XCTAssertEqual(timer.arms, 10, "armed once per slice, not once per exit")
        XCTAssertEqual(domain.scheduling.cpuTime, 10 * CreditScheduler.timeSlice)
    }

    /// An exit that may reschedule (here HLT, which blocks) is looked at at
    /// once, even in the middle of quiet exits.
    func testAnExitThatMayRescheduleIsLookedAtAtOnce() {
        var exits = 0
        let sleeper = addDomain(0) { [unowned self] _ in
            clock.now += 10_000
            exits += 1
            return exits % 5 == 0 ? .make(.halt, length: 1) : .make(.cpuid, length: 2)
        }
        addDomain(1, program: spinner())
        run(for: 10 * millisecond)
        XCTAssertEqual(sleeper.state, .blocked, "the HLT ended its slice")
        XCTAssertEqual(exits, 5)
        XCTAssertTrue(backend.runs.contains(1))
    }

    func testAHeavyWeightDoesNotStarveALightOne() {
        let light = addDomain(0, weight: 1, program: spinner())
        addDomain(1, weight: 65535, program: spinner())
        run(for: 2_000 * millisecond)
        XCTAssertGreaterThan(light.scheduling.slices, 0)
        XCTAssertLessThan(share(light), 0.5)
    }

    func testCreditStaysWithinOnePeriod() {
        let domain = addDomain(0, program: spinner())
        var policy = CreditScheduler()
        policy.account(now: 0, domains: hypervisor.domains)
        policy.account(now: 10_000 * millisecond, domains: hypervisor.domains)
        XCTAssertEqual(domain.scheduling.credit, CreditScheduler.creditLimit)
        CreditScheduler.charge(domain, ran: 1_000 * millisecond, preempted: true, now: 0)
        XCTAssertEqual(domain.scheduling.credit, -CreditScheduler.creditLimit)
    }

    func testPausedAndFinishedDomainsEarnNoCredit() {
        let running = addDomain(0, program: spinner())
        let paused = addDomain(1, program: spinner())
        paused.state = .paused
        let ended = addDomain(2, program: spinner())
        ended.state = .shutdown(reason: 0)
        var policy = CreditScheduler()
        policy.account(now: 0, domains: hypervisor.domains)
        XCTAssertEqual(running.scheduling.credit, Int64(CreditScheduler.accountingPeriod))
        XCTAssertEqual(paused.scheduling.credit, 0)
        XCTAssertEqual(ended.scheduling.credit, 0)
    }

    // MARK: - Block, yield, poll

    func testBlockedDomainsDoNotRun() {
        addDomain(0, program: spinner())
        let blocked = addDomain(1, program: spinner())
        blocked.state = .blocked
        run(for: 100 * millisecond)
        XCTAssertFalse(backend.runs.contains(1))
        XCTAssertEqual(blocked.scheduling.slices, 0)
    }

    func testYieldGoesToTheBackOfItsPriority() {
        // d0 works 1 ms, then yields (sched_op in a 32-bit guest: EAX 29, EBX 0).
        let yielder = addDomain(0) { [unowned self] vcpu in
            clock.now += millisecond
            vcpu.registers.pointee.rax = UInt64(__HYPERVISOR_sched_op)
            vcpu.registers.pointee.rbx = UInt64(SCHEDOP_yield)
            return .make(.hypercall(.kernel32), length: 3)
        }
        let spinning = addDomain(1, program: spinner())
        run(for: 100 * millisecond)
        XCTAssertEqual(Array(backend.runs.prefix(6)), [0, 1, 0, 1, 0, 1])
        XCTAssertEqual(yielder.scheduling.preemptions, 0)     // it always gave the CPU up itself
        XCTAssertGreaterThan(spinning.scheduling.cpuTime, 5 * yielder.scheduling.cpuTime)
    }

    /// With nobody to yield to, a yield goes on in the same slice: a new
    /// pick would choose the yielder again, so the slice need not end.
    func testAYielderAloneGoesOnInItsSlice() {
        let yielder = addDomain(0) { [unowned self] vcpu in
            clock.now += millisecond
            if let armed = timer.armed, clock.now >= armed { return .make(.externalInterrupt) }
            vcpu.registers.pointee.rax = UInt64(__HYPERVISOR_sched_op)
            vcpu.registers.pointee.rbx = UInt64(SCHEDOP_yield)
            return .make(.hypercall(.kernel32), length: 3)
        }
        run(for: 30 * millisecond)
        XCTAssertEqual(yielder.scheduling.slices, 3, "one slice per time slice, not one per yield")
        XCTAssertEqual(yielder.vcpus[0].exitCount, 30)
        XCTAssertEqual(timer.halts, 0)
        XCTAssertFalse(hypervisor.yieldRequested)
    }

    func testBlockWithAnEventAlreadyPendingDoesNotSleep() {
        let domain = addDomain(0, program: spinner())
        let vcpu = domain.vcpus[0]
        vcpu.timers.eventPending = true
        domain.block(vcpu)
        XCTAssertEqual(domain.state, .running)
        XCTAssertFalse(vcpu.timers.eventPending)
        domain.block(vcpu)
        XCTAssertEqual(domain.state, .blocked)
    }

    func testPollTimeoutWakesWithoutAnEvent() {
        addDomain(0, program: spinner())
        var ranAt: [UInt64] = []
        let poller = addDomain(1) { [unowned self] vcpu in
            ranAt.append(clock.now)
            hypervisor.domains[1].block(vcpu)            // blocks again, for good
            return .make(.halt, length: 1)
        }
        poller.block(poller.vcpus[0], timeout: 25 * millisecond)
        run(for: 100 * millisecond)
        XCTAssertEqual(ranAt, [25 * millisecond])
        XCTAssertEqual(poller.vcpus[0].timers.firedCount, 0)
        XCTAssertNil(poller.vcpus[0].timers.pollDeadline)
    }

    // MARK: - Timers and idle

    /// With VIRQ_TIMER bound, the timer's event is that port: raised once,
    /// the upcall requested, and the domain woken once.
    func testAFiredTimerRaisesVIRQTimer() throws {
        let dom0 = addDomain(0) { _ in .make(.halt, length: 1) }
        dom0.state = .blocked
        let sleeper = addDomain(1) { _ in .make(.halt, length: 1) }
        let port = try hypervisor.bindVirtualInterrupt(UInt32(VIRQ_TIMER), vcpu: 0, in: sleeper)
        sleeper.vcpus[0].upcallVector = 0xF3                  // its upcall comes through its local APIC
        sleeper.vcpus[0].timers.singleShotDeadline = 5 * millisecond
        sleeper.state = .blocked

        XCTAssertNil(scheduler.runOnce())                     // idle until 5 ms
        XCTAssertFalse(try XCTUnwrap(sleeper.sharedInfo).isPending(port))
        XCTAssertNil(scheduler.runOnce())                     // fired: raised, woken, ran
        XCTAssertTrue(try XCTUnwrap(sleeper.sharedInfo).isPending(port))
        XCTAssertTrue(sleeper.vcpus[0].localAPIC.interruptRequests.contains(0xF3))
        XCTAssertEqual(sleeper.scheduling.wakeUps, 1)
        XCTAssertEqual(sleeper.scheduling.slices, 1)
    }

    /// With a callback vector, the fired timer's VIRQ is injected before the
    /// woken vCPU runs, and again before each entry while the guest leaves
    /// evtchn_upcall_pending set; a guest that clears it gets no more.
    func testTheUpcallIsInjectedBeforeEachEntryWhileOwed() throws {
        let dom0 = addDomain(0) { _ in .make(.halt, length: 1) }
        dom0.state = .blocked
        var entries = 0
        let sleeper = addDomain(1) { [unowned self] vcpu in
            entries += 1
            clock.now += 1000
            if entries == 2 {
                // The guest's handler: clears evtchn_upcall_pending first.
                vcpu.registers.pointee.rax = 0
                hypervisor.domains.first { $0.id == 1 }!.vcpuInfo(of: vcpu)!.pointee.evtchn_upcall_pending = 0
            }
            return entries < 3 ? .make(.cpuid, length: 2) : .make(.halt, length: 1)
        }
        sleeper.eventCallback = try XCTUnwrap(HVMCallback(parameter: 0x0200_0000_0000_00F3))
        _ = try hypervisor.bindVirtualInterrupt(UInt32(VIRQ_TIMER), vcpu: 0, in: sleeper)
        sleeper.vcpus[0].timers.singleShotDeadline = 5 * millisecond
        sleeper.state = .blocked

        XCTAssertNil(scheduler.runOnce())                     // idle until 5 ms
        XCTAssertTrue(backend.injectedInterrupts.isEmpty)
        XCTAssertNil(scheduler.runOnce())                     // fired: three entries, then HLT
        XCTAssertEqual(entries, 3)
        XCTAssertEqual(backend.injectedInterrupts.map(\.vector), [0xF3, 0xF3], "before entries 1 and 2, not 3")
        XCTAssertEqual(sleeper.state, .blocked)
    }

    func testTheOneShotTimerWakesABlockedDomainAfterIdling() {
        let dom0 = addDomain(0) { _ in .make(.halt, length: 1) }
        dom0.state = .blocked
        var ranAt: [UInt64] = []
        let sleeper = addDomain(1) { [unowned self] _ in
            ranAt.append(clock.now)
            return .make(.halt, length: 1)                    // HLT with no timer: sleeps for good
        }
        sleeper.vcpus[0].timers.singleShotDeadline = 5 * millisecond
        sleeper.state = .blocked

        XCTAssertNil(scheduler.runOnce())                     // nothing runnable: idle until 5 ms
        XCTAssertEqual(timer.armed, 5 * millisecond)
        XCTAssertEqual(timer.halts, 1)
        XCTAssertNil(scheduler.runOnce())                     // the timer fired: the sleeper runs
        XCTAssertEqual(ranAt, [5 * millisecond])
        XCTAssertEqual(sleeper.vcpus[0].timers.firedCount, 1)
        XCTAssertFalse(sleeper.vcpus[0].timers.eventPending)  // the wake-up delivered it
        XCTAssertEqual(sleeper.scheduling.wakeUps, 1)
        XCTAssertEqual(scheduler.runOnce(), .deadlocked)      // both blocked, no timer left
    }

    func testATimerFiringWhileRunningIsRecordedForTheNextBlock() {
        let domain = addDomain(0) { [unowned self] vcpu in
            clock.now = max(clock.now + 1, timer.armed ?? clock.now + 1)
            return .make(.externalInterrupt)
        }
        domain.vcpus[0].timers.singleShotDeadline = 3 * millisecond
        XCTAssertNil(scheduler.runOnce())
        XCTAssertTrue(domain.vcpus[0].timers.eventPending)
        XCTAssertEqual(domain.state, .running)
        domain.block(domain.vcpus[0])                         // returns at once: the event was waiting
        XCTAssertEqual(domain.state, .running)
    }

    func testASpinnerCannotDelayASleeper() {
        let spinning = addDomain(0, program: spinner())
        // d1: 1 ms of work, then HLT with its timer 10 ms ahead, forever.
        var remaining = millisecond
        var deadline: UInt64? = nil
        var latencies: [UInt64] = []
        let sleeper = addDomain(1) { [unowned self] vcpu in
            if let due = deadline {
                latencies.append(clock.now - due)
                deadline = nil
            }
            let stop = timer.armed ?? UInt64.max
            if clock.now + remaining > stop {
                remaining -= stop - clock.now
                clock.now = stop
                return .make(.externalInterrupt)
            }
            clock.now += remaining
            remaining = millisecond
            deadline = clock.now + 10 * millisecond
            vcpu.timers.singleShotDeadline = deadline
            return .make(.halt, length: 1)
        }
        run(for: 1_000 * millisecond)
        XCTAssertGreaterThanOrEqual(latencies.count, 85)
        XCTAssertEqual(latencies.max(), 0)                   // BOOST: it runs the moment its timer fires
        XCTAssertEqual(share(sleeper), 1.0 / 11.0, accuracy: 0.01)
        XCTAssertGreaterThan(spinning.scheduling.preemptions, 85)
    }

    func testADomainWokenWithoutCreditWaitsItsTurn() {
        let dom0 = addDomain(0, program: spinner())
        let sleeper = addDomain(1) { _ in .make(.halt, length: 1) }
        sleeper.scheduling.credit = -Int64(30 * millisecond)      // still OVER after this period's share
        sleeper.state = .blocked
        sleeper.vcpus[0].timers.singleShotDeadline = 3 * millisecond
        XCTAssertNil(scheduler.runOnce())
        XCTAssertFalse(sleeper.scheduling.boosted)
        XCTAssertEqual(dom0.scheduling.slices, 1)
        XCTAssertEqual(clock.now, 10 * millisecond)          // dom0 kept its whole slice
        XCTAssertEqual(sleeper.state, .running)
    }

    // MARK: - Endings

    func testDom0sEndEndsTheLoop() {
        let dom0 = addDomain(0) { vcpu in
            vcpu.registers.pointee.rax = UInt64(__HYPERVISOR_sched_op)
            vcpu.registers.pointee.rbx = UInt64(SCHEDOP_shutdown)
            vcpu.registers.pointee.rcx = 0x1000               // reason 0 (poweroff) lives there: zeroed RAM
            return .make(.hypercall(.kernel32), length: 3)
        }
        dom0.maximumFrames = 1
        XCTAssertNoThrow(try dom0.memory.populate(frame: 1))
        XCTAssertNotNil(dom0.memory.hostFrame(of: 1))
        XCTAssertEqual(scheduler.runUntilDomain0Ends(), .domain0Finished)
        XCTAssertEqual(dom0.state, .shutdown(reason: 0))
    }

    /// A dom0 that listens to the console is not deadlocked while it waits
    /// for a key: the CPU idles 10 ms at a time, the UART is polled each
    /// round, and a key raises VIRQ_CONSOLE, which wakes dom0.
    func testADom0WaitingForTheConsoleIdlesUntilAKey() throws {
        let dom0 = addDomain(0) { _ in .make(.halt, length: 1) }
        let port = try hypervisor.bindVirtualInterrupt(UInt32(VIRQ_CONSOLE), vcpu: 0, in: dom0)
        dom0.state = .blocked
        var keys: [UInt8] = []
        hypervisor.consoleInput.connect { keys.isEmpty ? nil : keys.removeFirst() }

        XCTAssertNil(scheduler.runOnce())
        XCTAssertEqual(timer.armed, 10 * millisecond)
        XCTAssertEqual(dom0.state, .blocked)
        keys = Array("y".utf8)
        XCTAssertNil(scheduler.runOnce())                     // polled: the key raises the port
        XCTAssertTrue(try XCTUnwrap(dom0.sharedInfo).isPending(port))
        XCTAssertEqual(hypervisor.consoleInput.pending, 1)
        XCTAssertEqual(backend.runs, [0], "dom0 woke and ran")
    }

    func testWithoutConsoleInputABlockedDom0WithVIRQConsoleIsStillADeadlock() throws {
        let dom0 = addDomain(0, program: spinner())
        _ = try hypervisor.bindVirtualInterrupt(UInt32(VIRQ_CONSOLE), vcpu: 0, in: dom0)
        dom0.state = .blocked
        XCTAssertEqual(scheduler.runOnce(), .deadlocked, "no device: no key can come")
    }

    func testNothingRunnableAndNoTimerIsADeadlock() {
        let dom0 = addDomain(0, program: spinner())
        dom0.state = .blocked
        XCTAssertEqual(scheduler.runUntilDomain0Ends(), .deadlocked)
        XCTAssertEqual(timer.halts, 0)
    }
}
