import XenPublic

/// sched_op(cmd, arg): give up the CPU for a while, or for good.
enum SchedOpHypercall {
    @Sendable static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
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
            let request = try context.guest.read(sched_shutdown.self, at: call.second)
            context.domain.state = .shutdown(reason: request.reason)
            return 0
        case SCHEDOP_shutdown_code:
            // Only checked that it is readable: the reason a later shutdown
            // would carry is not kept (the shutdown gives its own).
            _ = try context.guest.read(sched_shutdown.self, at: call.second)
            return 0
        default:
            throw .notImplemented
        }
    }
}
