import XenPublic

/// sched_op(cmd, arg): give up the CPU for a while, or for good.
enum SchedOpHypercall {
    static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        guard let command = call.command else { throw .notImplemented }
        switch Int32(bitPattern: command) {
        case SCHEDOP_yield:
            // To the back of its priority's queue (CreditScheduler, rule 4).
            context.hypervisor.yieldRequested = true
            return 0
        case SCHEDOP_block:
            // Sleeps until the vCPU's one-shot timer fires (Domain+Blocking).
            context.domain.block(context.vcpu)
            return 0
        case SCHEDOP_poll:
            return try SchedOpPoll.poll(at: call.second, context)
        case SCHEDOP_shutdown:
            // struct sched_shutdown { uint32_t reason; }
            let reason = try context.guest.readUInt32(call.second)
            context.domain.state = .shutdown(reason: reason)
            return 0
        case SCHEDOP_shutdown_code:
            // Only recorded: the reason a later shutdown will carry.
            _ = try context.guest.readUInt32(call.second)
            return 0
        default:
            throw .notImplemented
        }
    }
}
