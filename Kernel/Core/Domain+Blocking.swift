/// Blocking and waking a domain (one vCPU per domain so far, so the domain's
/// state is its vCPU's).
///
/// A vCPU that blocks (SCHEDOP_block, SCHEDOP_poll, HLT) sleeps until a
/// timer event arrives for it or its poll timeout passes. As in Xen, events
/// are checked after deciding to block: an event that arrived before the
/// block (the one-shot timer fired while the guest was still on its way to
/// SCHEDOP_block) is consumed at once and the vCPU does not sleep, so no
/// wake-up is ever lost. Guests must expect to wake early, and check.
extension Domain {
    /// Blocks `vcpu`, until `timeout` (absolute ns) at the latest if given.
    func block(_ vcpu: VCPU, timeout: UInt64? = nil) {
        guard state == .running else { return }
        // A guest that waits has said what it had to say: print the line
        // it has begun (a shell's prompt waits for its Enter otherwise).
        if !consoleLine.isEmpty { ConsoleIOHypercall.flush(self) }
        if vcpu.timers.takeEvent() { return }
        // Xen's check too (local_events_need_delivery): an interrupt
        // already owed (the upcall, or one in the local APIC) ends the
        // block before it starts.
        if pendingInterrupt(for: vcpu) != nil { return }
        vcpu.timers.pollDeadline = timeout
        state = .blocked
    }

    /// Makes a blocked domain runnable: its timer fired or its poll timed
    /// out (later: an event arrived). The wake-up delivers the pending event.
    func wake(at now: UInt64) {
        guard state == .blocked else { return }
        for vcpu in vcpus {
            vcpu.timers.pollDeadline = nil
            _ = vcpu.timers.takeEvent()
        }
        state = .running
        CreditScheduler.wokeUp(self, at: now)
    }
}
