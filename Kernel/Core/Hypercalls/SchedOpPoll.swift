/// SCHEDOP_poll, arg = struct sched_poll: block until one of the listed
/// event-channel ports is pending or system time reaches `timeout`
/// (absolute ns; 0: no timeout).
///
/// There are no event channels yet, so the ports are only checked the way
/// Xen checks them before blocking (at most 128, and the list readable:
/// -EINVAL, -EFAULT), and not looked at afterwards: poll is a block with a
/// timeout, which the vCPU's one-shot timer also ends. Event channels will
/// make a pending port end it too.
///
/// Layout: 64-bit guests { ports 0 (pointer), nr_ports 8, timeout 16 };
/// 32-bit guests { ports 0 (32-bit pointer), nr_ports 4, timeout 8 }.
enum SchedOpPoll {
    static let maximumPorts: UInt32 = 128

    static func poll(at address: UInt64, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        let longMode = context.guest.state.longModeActive
        let bytes = try context.guest.read(from: address, count: longMode ? 24 : 16)
        let (ports, count, timeout) = bytes.withUnsafeBytes { raw in
            longMode
                ? (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                   raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self),
                   raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
                : (UInt64(raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self)),
                   raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self),
                   raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
        guard count <= maximumPorts else { throw .invalidArgument }
        _ = try context.guest.read(from: ports, count: Int(count) * 4)
        context.domain.block(context.vcpu, timeout: timeout == 0 ? nil : timeout)
        return 0
    }
}
