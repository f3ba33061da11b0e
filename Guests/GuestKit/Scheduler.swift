import XenPublic

/// sched_op: giving up the processor, for a while or for good.
enum Scheduler {
    /// Lets another vCPU run; this one stays runnable.
    static func yield() throws(HypercallError) {
        _ = try Hypercall.checked(__HYPERVISOR_sched_op, UInt64(SCHEDOP_yield))
    }

    /// Sleeps until an event is pending for this vCPU.
    static func block() throws(HypercallError) {
        _ = try Hypercall.checked(__HYPERVISOR_sched_op, UInt64(SCHEDOP_block))
    }

    /// Ends the domain, telling the hypervisor why. Sends any half-printed
    /// line first. If the hypervisor returns anyway, the vCPU halts.
    static func shutdown(_ reason: ShutdownReason) -> Never {
        Console.flush()
        var argument = sched_shutdown(reason: reason.rawValue)
        _ = withUnsafeMutablePointer(to: &argument) { pointer in
            Hypercall.call(UInt64(__HYPERVISOR_sched_op), UInt64(SCHEDOP_shutdown),
                           Hypercall.argument(pointer))
        }
        Console.write("shutdown hypercall returned; halting\n")
        Processor.stop()
    }
}
