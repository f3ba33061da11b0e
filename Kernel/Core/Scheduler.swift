/// Runs the domains' vCPUs until dom0 ends: dom0 is the machine, as in Xen.
///
/// Each round: fire the timers that are due (waking their vCPUs), hand out
/// credit, then run the domain the credit policy picks (CreditScheduler)
/// for one slice; or, with nothing runnable, halt the CPU until the next
/// timer; or, with no timer either, report a deadlock.
///
/// A slice ends when the domain blocks, yields, ends, uses up its time
/// slice, or a domain that woke up outranks it. The scheduler learns of the
/// last two through the timer interrupt: before each entry into the guest
/// it arms the `InterruptTimer` for the earlier of the slice's end and the
/// next vCPU timer, and the interrupt makes the guest exit.
final class Scheduler {
    let hypervisor: Hypervisor
    let timer: InterruptTimer
    private var policy = CreditScheduler()

    enum Ending {
        case domain0Finished
        case deadlocked
    }

    init(hypervisor: Hypervisor, timer: InterruptTimer) {
        self.hypervisor = hypervisor
        self.timer = timer
    }

    private var clock: SystemClock { SystemTime.clock }

    func runUntilDomain0Ends() -> Ending {
        while true {
            if let ending = runOnce() { return ending }
        }
    }

    /// One round (see the type's comment); nil while dom0 goes on.
    func runOnce() -> Ending? {
        if let dom0 = hypervisor.domain0, dom0.state.isFinished { return .domain0Finished }
        let now = clock.now()
        if hypervisor.consoleInput.poll() { hypervisor.sendGlobalVirtualInterrupt(.console) }
        _ = fireTimers(now: now, running: nil)
        policy.account(now: now, domains: hypervisor.domains)
        if let domain = CreditScheduler.pick(from: hypervisor.domains) {
            runSlice(domain, from: now)
            return nil
        }
        guard let deadline = nextTimerDeadline() ?? consoleWaitDeadline(now: now) else { return .deadlocked }
        timer.arm(at: deadline)
        timer.waitForInterrupt()       // idle: the CPU halts until the timer
        return nil
    }

    /// Runs one domain's vCPU for at most one time slice.
    private func runSlice(_ domain: Domain, from start: UInt64) {
        let vcpu = domain.vcpus[0]
        let handler = VMExitHandler(hypervisor: hypervisor, domain: domain, vcpu: vcpu)
        let clock = self.clock          // once: each look-up retains and releases it
        let backend = hypervisor.backend
        hypervisor.yieldRequested = false
        domain.publishTime(of: vcpu, clock: clock)
        domain.changeRunstate(of: vcpu, to: .running, at: start, backend: hypervisor.backend)
        let sliceEnd = start + CreditScheduler.timeSlice
        var preempted = false
        var now = start
        var timerDeadline = nextTimerDeadline()
        var effect = SchedulingEffect.mayReschedule     // the first entry arms the timer
        while domain.state.isRunning && !hypervisor.yieldRequested {
            if effect == .mayReschedule { timer.arm(at: min(sliceEnd, timerDeadline ?? sliceEnd)) }
            domain.deliverPendingInterrupt(to: vcpu, backend: backend)   // Domain+Upcall
            effect = handler.handle(backend.run(vcpu))
            // The fast path: an exit that changed nothing the scheduler
            // watches goes straight back in; the armed timer still stands
            // for the slice's end and the next vCPU timer (SchedulingEffect).
            if effect == .none { continue }
            // A yield with no other domain to run goes on in this slice, as
            // a new pick would choose this vCPU again (so does Xen's).
            if hypervisor.yieldRequested && !anotherDomainCanRun(besides: domain) {
                hypervisor.yieldRequested = false
            }
            now = clock.now()
            // The exit may have set or cleared a timer (set_timer_op,
            // SCHEDOP_poll): look again. Most exits find none due, and then
            // there is nothing to fire.
            timerDeadline = nextTimerDeadline()
            var outranked = false
            if let deadline = timerDeadline, deadline <= now {
                outranked = fireTimers(now: now, running: domain)
                timerDeadline = nextTimerDeadline()
            }
            if domain.state == .running && (now >= sliceEnd || outranked) {
                preempted = true
                break
            }
        }
        let yielded = domain.state == .running && hypervisor.yieldRequested
        CreditScheduler.charge(domain, ran: now - start, preempted: preempted, yielded: yielded, now: now)
        domain.changeRunstate(of: vcpu, to: Self.runstate(after: domain.state), at: now, backend: hypervisor.backend)
        if domain.state.isFinished {
            hypervisor.domainFinished(domain)
            report(domain)
        }
    }

    /// Fires every vCPU timer due at `now`: the one-shot timer's event is
    /// delivered (Domain.deliverTimerEvent: VIRQ_TIMER if bound), the local
    /// APIC's timer puts its vector in the IRR, and blocked vCPUs wake.
    /// Returns whether a domain that woke outranks `running`, which should
    /// then give up the CPU.
    private func fireTimers(now: UInt64, running: Domain?) -> Bool {
        var outranked = false
        for domain in hypervisor.domains where !domain.state.isFinished {
            for vcpu in domain.vcpus {
                let apicFired = vcpu.localAPIC.fireTimer(now: now)
                let expiry = vcpu.timers.expire(now: now)
                guard expiry.any || apicFired else { continue }
                // The timer's event may wake the domain itself (an event
                // channel's delivery does), so look at its state before.
                let wasBlocked = domain.state == .blocked
                if expiry.singleShotFired { domain.deliverTimerEvent(to: vcpu) }
                // The APIC timer wakes the vCPU only if its interrupt can be
                // delivered (a masked LVT entry just counts).
                if !expiry.any && domain.pendingInterrupt(for: vcpu) == nil { continue }
                guard wasBlocked else { continue }
                domain.wake(at: now)
                if let running, running !== domain, CreditScheduler.preempts(domain, running) { outranked = true }
            }
        }
        return outranked
    }

    /// With nothing else to wait for, a dom0 that listens to the console
    /// (VIRQ_CONSOLE bound) waits for a key: look at the UART again in 10 ms
    /// (it raises no interrupt here). Without that, nothing can ever wake
    /// the domains, and that is a deadlock.
    private func consoleWaitDeadline(now: UInt64) -> UInt64? {
        guard hypervisor.consoleInput.isConnected,
              let dom0 = hypervisor.domain0, dom0.vcpus.first?.virtualInterruptPorts[.console] != nil else { return nil }
        return now + 10 * SystemTime.millisecond
    }

    /// The earliest timer of any domain that can still run.
    private func nextTimerDeadline() -> UInt64? {
        var earliest: UInt64? = nil
        for domain in hypervisor.domains where !domain.state.isFinished {
            for vcpu in domain.vcpus {
                if let deadline = vcpu.timers.nextDeadline { earliest = min(earliest ?? deadline, deadline) }
                if let deadline = vcpu.localAPIC.nextTimerDeadline { earliest = min(earliest ?? deadline, deadline) }
            }
        }
        return earliest
    }

    /// Whether a domain other than `domain` is ready to run.
    private func anotherDomainCanRun(besides domain: Domain) -> Bool {
        for other in hypervisor.domains where other !== domain && other.state.isRunning { return true }
        return false
    }

    /// The runstate a vCPU leaves its slice in.
    private static func runstate(after state: DomainState) -> VCPURunstate.State {
        switch state {
        case .running: .runnable
        case .blocked: .blocked
        default: .offline
        }
    }

    private func report(_ domain: Domain) {
        let s = domain.scheduling
        Log.debug("d\(domain.id) (\(domain.name)): scheduler: \(s.slices) slices, \(s.preemptions) preempted, \(s.wakeUps) wake-ups, \(s.cpuTime / 1000) us of CPU, weight \(s.weight)")
    }
}
