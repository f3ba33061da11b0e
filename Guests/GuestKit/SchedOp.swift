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

    /// Sleeps until one of `ports` is pending (returns at once if one is
    /// already) or system time reaches `timeout` (absolute ns; nil: no
    /// timeout). It may return early (here: an event on any port of the
    /// domain wakes it), so the caller looks at its ports afterwards. The
    /// pending bits stay set: clearing them is the caller's
    /// (SharedInfoView.clearPending). At most 128 ports (-EINVAL).
    /// A guest that polls in a loop keeps its list in one array, made once.
    static func poll(ports: [evtchn_port_t], timeout: UInt64? = nil) throws(HypercallFailure) {
        // Read in place (no copy, so nothing is allocated): the hypervisor
        // only reads the list.
        let result = ports.withUnsafeBufferPointer { buffer in
            let list = buffer.baseAddress.map { Hypercall.argument($0) } ?? 0
            var request = sched_poll(ports: list, nr_ports: UInt32(buffer.count), timeout: timeout ?? 0)
            return withUnsafeMutablePointer(to: &request) { pointer in
                Hypercall.call(UInt64(__HYPERVISOR_sched_op), UInt64(SCHEDOP_poll), Hypercall.argument(pointer))
            }
        }
        if result < 0 { throw HypercallFailure(result: result) }
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
