import XenPublic

/// SCHEDOP_poll, arg = struct sched_poll: block until one of the listed
/// event-channel ports is pending or system time reaches `timeout`
/// (absolute ns; 0: no timeout).
///
/// The list is checked the way Xen checks it (at most 128 ports, and
/// readable: -EINVAL, -EFAULT; unlike Xen, a port the domain does not have
/// is not -EINVAL, it is simply never pending). If a listed port is pending
/// already, the call returns at once: the event came before the guest
/// asked, and sleeping would miss it. Otherwise the vCPU blocks until the
/// timeout, its one-shot timer, or an event on any of the domain's ports
/// (Domain.raiseEvent wakes it; Xen wakes a poller for its own ports only,
/// so this wakes early at times, which the contract allows).
enum SchedOpPoll {
    static let maximumPorts: UInt32 = 128

    static func poll(at address: UInt64, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        let request = try readRequest(at: address, context.guest)
        guard request.nr_ports <= maximumPorts else { throw .invalidArgument }
        let list = try context.guest.read(from: request.ports, count: Int(request.nr_ports) * 4)
        if anyPending(list, in: context.domain) { return 0 }
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

    /// Whether one of the ports in `list` (evtchn_port_t, 4 bytes each) is
    /// pending in the domain's shared_info. Numbers beyond the 2-level ports
    /// are never pending (and must not index the bitmap).
    private static func anyPending(_ list: [UInt8], in domain: Domain) -> Bool {
        guard let page = domain.sharedInfo else { return false }
        return list.withUnsafeBytes { raw in
            stride(from: 0, to: raw.count, by: 4).contains { offset in
                let number = raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
                return number < UInt32(EventChannelTable.portLimit) && page.isPending(EventChannelPort(number))
            }
        }
    }
}
