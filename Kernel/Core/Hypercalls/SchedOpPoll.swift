import XenPublic

/// SCHEDOP_poll, arg = struct sched_poll: block until one of the listed
/// event-channel ports is pending or system time reaches `timeout`
/// (absolute ns; 0: no timeout).
///
/// There are no event channels yet, so the ports are only checked the way
/// Xen checks them before blocking (at most 128, and the list readable:
/// -EINVAL, -EFAULT), and not looked at afterwards: poll is a block with a
/// timeout, which the vCPU's one-shot timer also ends. Event channels will
/// make a pending port end it too.
enum SchedOpPoll {
    static let maximumPorts: UInt32 = 128

    static func poll(at address: UInt64, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        let request = try readRequest(at: address, context.guest)
        guard request.nr_ports <= maximumPorts else { throw .invalidArgument }
        _ = try context.guest.read(from: request.ports, count: Int(request.nr_ports) * 4)
        context.domain.block(context.vcpu, timeout: request.timeout == 0 ? nil : request.timeout)
        return 0
    }

    /// The caller's struct sched_poll; a 32-bit guest's (compat_sched_poll:
    /// a 4-byte pointer, 16 bytes in all) widened to it.
    private static func readRequest(at address: UInt64, _ guest: GuestMemory) throws(HypercallError) -> sched_poll {
        guard !guest.state.longModeActive else { return try guest.read(sched_poll.self, at: address) }
        let compat = try guest.read(compat_sched_poll.self, at: address)
        return sched_poll(ports: UInt64(compat.ports), nr_ports: compat.nr_ports, timeout: compat.timeout)
    }
}
