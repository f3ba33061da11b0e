import GuestSupport
import XenPublic

/// mode=self: event channels within one domain, checked one by one. The
/// guest runs with interrupts off, except around the step a check is
/// about, so every upcall comes where the check expects it, and counts
/// (Upcall.deliveryCount, Upcall.count(of:)) are compared before and after.
///
/// The rule checked throughout is Xen's: an event sets its port's pending
/// bit; the upcall interrupts the vCPU once for everything pending, when
/// interrupts are on; the handler clears the bits; so no event is lost and
/// none is seen twice, and events that come while one is still pending
/// merge into it.
enum SelfChecks {
    /// A one-shot timer this far ahead (ns) for the VIRQ_TIMER check.
    static let timerDelay: UInt64 = 1_000_000

    /// Runs every check and prints the tally; true if all passed.
    static func run() -> Bool {
        var tally = CheckTally(guest: "events")
        do throws(HypercallFailure) {
            try Upcall.install()
            let page = try SharedInfoView.map()
            let ipi = try EventChannelOp.bindInterProcessor()
            // Xen hands out the lowest free port, and port 0 is never one.
            tally.expect("the first port a domain opens", got: Int64(ipi), expected: 1)
            interruptsOn(&tally, ipi)
            interruptsOff(&tally, page, ipi)
            masking(&tally, page, ipi)
            try loopback(&tally)
            try timer(&tally)
            try poll(&tally, page, ipi)
            try status(&tally, ipi)
            errors(&tally)
        } catch {
            print("events: cannot set up: \(error.name) (\(error.result)): FAIL")
            tally.fail("setting up", because: "a hypercall failed")
        }
        tally.printSummary()
        return tally.failed == 0
    }

    /// With the vector installed and interrupts on, each send is one upcall
    /// that finds the port once.
    static func interruptsOn(_ tally: inout CheckTally, _ port: evtchn_port_t) {
        let sends: Int64 = 10
        let (upcalls, seen) = counting(port) {
            for _ in 0..<sends {
                cpu_enable_interrupts()
                try? EventChannelOp.send(port)
                cpu_disable_interrupts()
            }
        }
        tally.expect("10 sends, interrupts on: upcalls", got: upcalls, expected: sends)
        tally.expect("10 sends, interrupts on: times the port was seen", got: seen, expected: sends)
    }

    /// Sends with interrupts off are held: no upcall until they are on,
    /// then exactly one, which finds the port once (the sends merged).
    static func interruptsOff(_ tally: inout CheckTally, _ page: SharedInfoView, _ port: evtchn_port_t) {
        let (upcallsWhileOff, seenWhileOff) = counting(port) {
            for _ in 0..<3 { try? EventChannelOp.send(port) }
            busy_loop(100_000)          // time for a wrong injection to show
        }
        tally.expect("3 sends, interrupts off: upcalls", got: upcallsWhileOff, expected: 0)
        tally.expect("3 sends, interrupts off: times the port was seen", got: seenWhileOff, expected: 0)
        tally.expect("3 sends, interrupts off: port pending", got: bit(page.isPending(port)), expected: 1)
        let (upcalls, seen) = counting(port) { Upcall.takePendingInterrupts() }
        tally.expect("then sti: upcalls", got: upcalls, expected: 1)
        tally.expect("then sti: times the port was seen", got: seen, expected: 1)
        tally.expect("then sti: port pending", got: bit(page.isPending(port)), expected: 0)
    }

    /// A masked port stays pending without an upcall; EVTCHNOP_unmask
    /// delivers it.
    static func masking(_ tally: inout CheckTally, _ page: SharedInfoView, _ port: evtchn_port_t) {
        page.setMask(port)
        let (upcallsMasked, _) = counting(port) {
            cpu_enable_interrupts()
            try? EventChannelOp.send(port)
            cpu_disable_interrupts()
            Upcall.takePendingInterrupts()
        }
        tally.expect("send on a masked port: upcalls", got: upcallsMasked, expected: 0)
        tally.expect("send on a masked port: port pending", got: bit(page.isPending(port)), expected: 1)
        var unmaskResult: Int64 = 0
        let (upcalls, seen) = counting(port) {
            cpu_enable_interrupts()
            unmaskResult = result { () throws(HypercallFailure) in try EventChannelOp.unmask(port) }
            cpu_disable_interrupts()
        }
        tally.expect("EVTCHNOP_unmask", got: unmaskResult, expected: 0)
        tally.expect("EVTCHNOP_unmask: upcalls", got: upcalls, expected: 1)
        tally.expect("EVTCHNOP_unmask: times the port was seen", got: seen, expected: 1)
        tally.expect("EVTCHNOP_unmask: mask bit", got: bit(page.isMasked(port)), expected: 0)
    }

    /// A channel from the domain to itself: alloc_unbound for DOMID_SELF,
    /// bind_interdomain to it. The new end is pending at once; a send on
    /// either end reaches the other.
    static func loopback(_ tally: inout CheckTally) throws(HypercallFailure) {
        let selfDomain = DomainID(DOMID_SELF)
        let unbound = try EventChannelOp.allocateUnbound(remoteDomain: selfDomain)
        let bound = try EventChannelOp.bindInterdomain(remoteDomain: selfDomain, remotePort: unbound)
        let (_, seenAtBind) = counting(bound) { Upcall.takePendingInterrupts() }
        tally.expect("loopback: the bound end is pending at once", got: seenAtBind, expected: 1)
        let (_, seenAtUnbound) = counting(unbound) {
            try? EventChannelOp.send(bound)
            Upcall.takePendingInterrupts()
        }
        tally.expect("loopback: a send on the bound end reaches the other", got: seenAtUnbound, expected: 1)
        let (_, seenAtBound) = counting(bound) {
            try? EventChannelOp.send(unbound)
            Upcall.takePendingInterrupts()
        }
        tally.expect("loopback: a send on the first end reaches the bound one", got: seenAtBound, expected: 1)
        let status = try EventChannelOp.status(unbound)
        tally.expect("loopback: status", got: Int64(status.status), expected: Int64(EVTCHNSTAT_interdomain))
        tally.expect("loopback: status names the other end", got: Int64(status.u.interdomain.port), expected: Int64(bound))
        try EventChannelOp.close(bound)
        tally.expect("loopback: after closing one end the other is unbound",
                     got: Int64(try EventChannelOp.status(unbound).status), expected: Int64(EVTCHNSTAT_unbound))
        try EventChannelOp.close(unbound)
    }

    /// VIRQ_TIMER: a one-shot timer wakes `sti; hlt` through the upcall,
    /// with the timer's port pending, not before the deadline.
    static func timer(_ tally: inout CheckTally) throws(HypercallFailure) {
        let port = try EventChannelOp.bindVirtualInterrupt(VIRQ_TIMER)
        let deadline = SystemTimeReader.now() + timerDelay
        try Timer.set(deadline: deadline)
        let (upcalls, seen) = counting(port) { Upcall.wait(for: port, beyond: Upcall.count(of: port)) }
        let woke = SystemTimeReader.now()
        tally.expect("VIRQ_TIMER: upcalls", got: upcalls, expected: 1)
        tally.expect("VIRQ_TIMER: times its port was seen", got: seen, expected: 1)
        tally.expect("VIRQ_TIMER: woke at or after the deadline", got: bit(woke >= deadline), expected: 1)
        tally.expect("a second bind of VIRQ_TIMER",
                     got: result { () throws(HypercallFailure) in _ = try EventChannelOp.bindVirtualInterrupt(VIRQ_TIMER) },
                     expected: -Int64(XEN_EEXIST))
        tally.expect("send on a VIRQ's port",
                     got: result { () throws(HypercallFailure) in try EventChannelOp.send(port) },
                     expected: -Int64(XEN_EINVAL))
    }

    /// SCHEDOP_poll returns at once for a pending port, and at its timeout
    /// when none is. The port is masked, so no upcall takes the event first.
    static func poll(_ tally: inout CheckTally, _ page: SharedInfoView, _ port: evtchn_port_t) throws(HypercallFailure) {
        let ports = [port]
        page.setMask(port)
        try EventChannelOp.send(port)
        let before = SystemTimeReader.now()
        try SchedOp.poll(ports: ports, timeout: before + 1_000_000_000)
        let waited = SystemTimeReader.now() - before
        tally.expect("SCHEDOP_poll on a pending port returns at once", got: bit(waited < 500_000_000), expected: 1)
        page.clearPending(port)
        let deadline = SystemTimeReader.now() + timerDelay
        try SchedOp.poll(ports: ports, timeout: deadline)
        tally.expect("SCHEDOP_poll with nothing pending waits for its timeout",
                     got: bit(SystemTimeReader.now() >= deadline), expected: 1)
        page.clearMask(port)
    }

    /// EVTCHNOP_status of an IPI port and of a closed one; close, then send.
    static func status(_ tally: inout CheckTally, _ ipi: evtchn_port_t) throws(HypercallFailure) {
        tally.expect("status of the IPI port", got: Int64(try EventChannelOp.status(ipi).status),
                     expected: Int64(EVTCHNSTAT_ipi))
        let spare = try EventChannelOp.bindInterProcessor()
        try EventChannelOp.close(spare)
        tally.expect("status of a closed port", got: Int64(try EventChannelOp.status(spare).status),
                     expected: Int64(EVTCHNSTAT_closed))
        tally.expect("send on a closed port",
                     got: result { () throws(HypercallFailure) in try EventChannelOp.send(spare) },
                     expected: -Int64(XEN_EINVAL))
        tally.expect("close of a closed port",
                     got: result { () throws(HypercallFailure) in try EventChannelOp.close(spare) },
                     expected: -Int64(XEN_EINVAL))
    }

    /// Wrong ports, vCPUs and VIRQs get Xen's errors
    /// (Kernel/Core/Events/Hypervisor+EventChannels.swift).
    static func errors(_ tally: inout CheckTally) {
        let beyondPorts: evtchn_port_t = 5000
        tally.expect("bind_ipi on vCPU 1 (there is one)",
                     got: result { () throws(HypercallFailure) in _ = try EventChannelOp.bindInterProcessor(vcpu: 1) },
                     expected: -Int64(XEN_ENOENT))
        tally.expect("bind_virq of NR_VIRQS",
                     got: result { () throws(HypercallFailure) in _ = try EventChannelOp.bindVirtualInterrupt(NR_VIRQS) },
                     expected: -Int64(XEN_EINVAL))
        tally.expect("bind_virq VIRQ_TIMER on vCPU 1",
                     got: result { () throws(HypercallFailure) in _ = try EventChannelOp.bindVirtualInterrupt(VIRQ_TIMER, vcpu: 1) },
                     expected: -Int64(XEN_ENOENT))
        tally.expect("bind_virq of global VIRQ_DOM_EXC on vCPU 1",
                     got: result { () throws(HypercallFailure) in _ = try EventChannelOp.bindVirtualInterrupt(VIRQ_DOM_EXC, vcpu: 1) },
                     expected: -Int64(XEN_EINVAL))
        tally.expect("send on port 0",
                     got: result { () throws(HypercallFailure) in try EventChannelOp.send(0) },
                     expected: -Int64(XEN_EINVAL))
        tally.expect("send on port 5000",
                     got: result { () throws(HypercallFailure) in try EventChannelOp.send(beyondPorts) },
                     expected: -Int64(XEN_EINVAL))
        tally.expect("close of port 0",
                     got: result { () throws(HypercallFailure) in try EventChannelOp.close(0) },
                     expected: -Int64(XEN_EINVAL))
        tally.expect("unmask of port 5000",
                     got: result { () throws(HypercallFailure) in try EventChannelOp.unmask(beyondPorts) },
                     expected: -Int64(XEN_EINVAL))
        tally.expect("status of port 5000",
                     got: result { () throws(HypercallFailure) in _ = try EventChannelOp.status(beyondPorts) },
                     expected: -Int64(XEN_EINVAL))
        tally.expect("bind_interdomain to domain 0x1234",
                     got: result { () throws(HypercallFailure) in
                         _ = try EventChannelOp.bindInterdomain(remoteDomain: 0x1234, remotePort: 1)
                     },
                     expected: -Int64(XEN_ESRCH))
        tally.expect("bind_interdomain to a port that is not waiting",
                     got: result { () throws(HypercallFailure) in
                         _ = try EventChannelOp.bindInterdomain(remoteDomain: DomainID(DOMID_SELF), remotePort: 1)
                     },
                     expected: -Int64(XEN_EINVAL))
    }

    // MARK: - Helpers

    /// Upcalls taken, and events seen on `port`, while `body` ran.
    private static func counting(_ port: evtchn_port_t, _ body: () -> Void) -> (upcalls: Int64, seen: Int64) {
        let upcalls = Upcall.deliveryCount
        let seen = Upcall.count(of: port)
        body()
        return (Int64(Upcall.deliveryCount - upcalls), Int64(Upcall.count(of: port) - seen))
    }

    /// 0 for success, else the negative errno.
    private static func result(_ call: () throws(HypercallFailure) -> Void) -> Int64 {
        do { try call(); return 0 } catch { return error.result }
    }

    private static func bit(_ value: Bool) -> Int64 { value ? 1 : 0 }
}
