/// set_timer_op(timeout): the older way to arm the calling vCPU's one-shot
/// timer, for an absolute system time in ns; 0 disarms it. Always 0.
///
/// A 64-bit guest passes the timeout in RDI; a 32-bit guest passes its low
/// half in EBX and its high half in ECX. As in Xen, a timeout that is
/// negative as a signed number, or more than 2^50 ns (about 13 days) ahead,
/// is taken for a guest's wrapped arithmetic and fires in 100 ms instead.
enum SetTimerOpHypercall {
    static let implausiblyFar: UInt64 = 1 << 50
    static let fallbackDelay: UInt64 = 100 * SystemTime.millisecond

    @Sendable static func handle(_ call: HypercallArguments, _ context: HypercallContext) -> UInt64 {
        let timeout = context.guest.state.longModeActive ? call.first : call.first | (call.second << 32)
        guard timeout != 0 else {
            context.vcpu.timers.singleShotDeadline = nil
            return 0
        }
        let now = SystemTime.now()
        let wrapped = Int64(bitPattern: timeout) < 0 || (timeout > now && timeout - now >= implausiblyFar)
        context.vcpu.timers.singleShotDeadline = wrapped ? now + fallbackDelay : timeout
        return 0
    }
}
