/// A vCPU's two timers, both absolute system times in ns:
///
/// - the one-shot timer (VCPUOP_set_singleshot_timer, set_timer_op): when
///   it fires, the vCPU gets a timer event, and wakes if it was blocked;
/// - the poll timeout (SCHEDOP_poll): when it passes, a polling vCPU wakes,
///   with no event.
///
/// "A timer event" is `eventPending`, which the wake-up consumes, and for
/// the guest VIRQ_TIMER on its event channel if it bound one, or else
/// `evtchn_upcall_pending` in its vcpu_info (Domain.deliverTimerEvent).
struct VCPUTimers {
    var singleShotDeadline: UInt64? = nil
    var pollDeadline: UInt64? = nil
    /// A one-shot timer fired and no block has consumed the event yet.
    var eventPending = false
    /// How many times the one-shot timer fired, for reports.
    var firedCount: UInt64 = 0

    /// The earliest time something happens to this vCPU, if any.
    var nextDeadline: UInt64? {
        switch (singleShotDeadline, pollDeadline) {
        case let (shot?, poll?): min(shot, poll)
        case let (shot?, nil): shot
        case let (nil, poll?): poll
        case (nil, nil): nil
        }
    }

    /// What `expire` found.
    struct Expiry {
        var singleShotFired = false
        var pollExpired = false
        var any: Bool { singleShotFired || pollExpired }
    }

    /// Fires whatever is due at `now`: a one-shot timer fires once and is
    /// gone; a poll timeout only ends the poll.
    mutating func expire(now: UInt64) -> Expiry {
        var expiry = Expiry()
        if let deadline = singleShotDeadline, deadline <= now {
            singleShotDeadline = nil
            eventPending = true
            firedCount += 1
            expiry.singleShotFired = true
        }
        if let deadline = pollDeadline, deadline <= now {
            pollDeadline = nil
            expiry.pollExpired = true
        }
        return expiry
    }

    /// Takes the pending event, if there is one.
    mutating func takeEvent() -> Bool {
        defer { eventPending = false }
        return eventPending
    }
}
