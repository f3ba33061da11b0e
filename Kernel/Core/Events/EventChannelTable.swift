import XenPublic

/// A domain's event-channel ports, for Xen's 2-level ABI: ports 1 to 4095
/// (EVTCHN_2L_NR_CHANNELS - 1; port 0 is reserved, as in Xen).
///
/// What it costs: channels come in buckets of 64 ports (one word of the
/// pending bitmap). The first bucket is made with the domain; another one
/// only when the domain opens a port and every existing one is in use, and
/// none goes back before the domain does. So the table never grows with the
/// port numbers a guest names, only with the ports it really had open at
/// one time: at most 64 buckets of 64 channels of 16 bytes (checked by
/// EventChannelTableTests), 64 KiB per domain, plus the arrays' headers.
///
/// The table only records states. Opening, connecting and closing (which
/// may touch the other end, in another domain) are the hypervisor's
/// (Hypervisor+EventChannels.swift); raising events is the domain's
/// (Domain+EventDelivery.swift).
final class EventChannelTable {
    static let portLimit = Int(EVTCHN_2L_NR_CHANNELS)
    static let bucketSize = 64
    static let bucketLimit = portLimit / bucketSize

    private var buckets: [[EventChannel]] = []

    init() {
        addBucket()
        buckets[0][0].state = .reserved
    }

    /// The ports that exist: those in the buckets made so far. Xen calls
    /// them valid: EVTCHNOP_status reports a free one as closed and
    /// EVTCHNOP_unmask accepts it, while a larger number is -EINVAL.
    var portCount: Int { buckets.count * Self.bucketSize }

    /// The port's channel; nil for a port beyond `portCount`.
    func channel(at port: EventChannelPort) -> EventChannel? {
        guard Int(port.number) < portCount else { return nil }
        return buckets[Int(port.number) / Self.bucketSize][Int(port.number) % Self.bucketSize]
    }

    /// Records the port's new channel. The port must exist (`channel(at:)`).
    func update(_ port: EventChannelPort, to channel: EventChannel) {
        precondition(Int(port.number) < portCount && port != .reserved, "not a usable port")
        buckets[Int(port.number) / Self.bucketSize][Int(port.number) % Self.bucketSize] = channel
    }

    /// The lowest free port, making a bucket if every existing port is in
    /// use. The port stays free until the caller records its channel, so a
    /// bind that fails after this leaves nothing open (as in Xen, a bucket
    /// made on the way stays). -ENOSPC when all 4095 ports are open.
    func freePort() throws(HypercallError) -> EventChannelPort {
        for number in 1..<portCount where channel(at: EventChannelPort(UInt32(number)))?.state == .free {
            return EventChannelPort(UInt32(number))
        }
        guard buckets.count < Self.bucketLimit else { throw .noSpace }
        let first = portCount
        addBucket()
        return EventChannelPort(UInt32(first))
    }

    /// Every port in use, lowest first.
    var openPorts: [EventChannelPort] {
        var ports: [EventChannelPort] = []
        for number in 1..<portCount {
            let port = EventChannelPort(UInt32(number))
            if channel(at: port)?.isOpen == true { ports.append(port) }
        }
        return ports
    }

    private func addBucket() {
        buckets.append([EventChannel](repeating: .free, count: Self.bucketSize))
    }
}
