import XenPublic

/// The vCPU's one-shot timer (vcpu_op VCPUOP_set_singleshot_timer): the
/// hypervisor wakes the vCPU from SCHEDOP_block when system time reaches
/// the deadline. A guest that bound VIRQ_TIMER to a port
/// (EventChannelOp.bindVirtualInterrupt) also gets an event there, and an
/// upcall if it installed one; without, the wake-up (and
/// evtchn_upcall_pending in shared_info) is all a timer does.
enum Timer {
    /// Arms the timer for `deadline` (system time, ns). With `future`, a
    /// deadline already past is refused (-ETIME) instead of firing at once.
    static func set(deadline: UInt64, future: Bool = false) throws(HypercallFailure) {
        var request = vcpu_set_singleshot_timer(timeout_abs_ns: deadline, flags: future ? UInt32(VCPU_SSHOTTMR_future) : 0)
        let result = withUnsafeMutablePointer(to: &request) { pointer in
            Hypercall.call(UInt64(__HYPERVISOR_vcpu_op), UInt64(VCPUOP_set_singleshot_timer), 0,
                           Hypercall.argument(pointer))
        }
        if result < 0 { throw HypercallFailure(result: result) }
    }

    /// Disarms the timer.
    static func stop() throws(HypercallFailure) {
        _ = try Hypercall.checked(__HYPERVISOR_vcpu_op, UInt64(VCPUOP_stop_singleshot_timer), 0)
    }

    /// Gives the CPU away for at least `nanoseconds`: arm, block, and
    /// again if the wake-up came early (a block may return early: an older
    /// timer's event was still pending). Needs shared_info mapped, for the
    /// time.
    static func sleep(nanoseconds: UInt64) throws(HypercallFailure) {
        let deadline = SystemTimeReader.now() + nanoseconds
        while SystemTimeReader.now() < deadline {
            try set(deadline: deadline)
            try SchedOp.block()
        }
    }
}
