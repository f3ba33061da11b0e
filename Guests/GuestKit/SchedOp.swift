import XenPublic

/// The sched_op hypercall: giving up the processor, for a while or for good.
enum SchedOp {
    /// Lets another vCPU run; this one stays runnable.
    static func yield() throws(HypercallFailure) {
        _ = try Hypercall.checked(__HYPERVISOR_sched_op, UInt64(SCHEDOP_yield))
    }

    /// Sleeps until an event is pending for this vCPU.
    static func block() throws(HypercallFailure) {
        _ = try Hypercall.checked(__HYPERVISOR_sched_op, UInt64(SCHEDOP_block))
    }

    /// Ends the domain, telling the hypervisor why. Sends any half-printed
    /// line first. If the hypervisor returns anyway, the vCPU halts.
    static func shutdown(_ reason: ShutdownReason) -> Never {
        ConsoleIO.flush()
        var argument = sched_shutdown(reason: reason.rawValue)
        _ = withUnsafeMutablePointer(to: &argument) { pointer in
            Hypercall.call(UInt64(__HYPERVISOR_sched_op), UInt64(SCHEDOP_shutdown),
                           Hypercall.argument(pointer))
        }
        ConsoleIO.write("shutdown hypercall returned; halting\n")
        Processor.stop()
    }
}
