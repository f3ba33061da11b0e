import XenPublic

/// Moving bytes between a domain's ring page and its connection.
///
/// The request ring is a byte stream: a message may arrive in pieces,
/// across the ring's wrap, over several notifications. The connection
/// keeps the part read so far (at most one message) and handles a request
/// only once it is whole. A header announcing more than
/// XENSTORE_PAYLOAD_MAX bytes breaks the connection (cxenstored drops such
/// a client too: it can no longer find where the next message starts);
/// the page's `error` is set to XENSTORE_ERROR_PROTO, nothing more is
/// read, and dom0's glue should release the domain.
///
/// Replies go out as far as the response ring has room; the rest waits in
/// the connection and goes out on a later `service`, when the guest has
/// consumed some (its notification brings dom0 back here). New requests
/// are not read while the waiting output is over the quota, so a guest
/// that never reads replies only stops itself.
///
/// Barriers (`StoreDomainBridge.sharedMemoryBarrier`): after reading a
/// producer index and before reading the bytes it covers; after copying
/// the bytes out and before moving the consumer index; after writing
/// reply bytes and before moving the producer index.
extension XenStore {
    /// Reads and answers what the domain has sent, writes what fits, and
    /// notifies the domain if any index moved. Call it when the
    /// connection's event channel fires.
    public func service(_ connection: StoreConnection) {
        guard let ring = connection.ring, !connection.isBroken else { return }
        var moved = flushOutput(of: connection, ring: ring)
        while !connection.isBroken,
              connection.output.byteCount <= quotas.queuedOutputBytes,
              let request = readRequest(of: connection, ring: ring, moved: &moved) {
            handle(request, from: connection)
            if flushOutput(of: connection, ring: ring) { moved = true }
        }
        if moved { bridge.notify(connection.localPort) }
    }

    /// The next whole request, or nil if it has not all arrived yet.
    private func readRequest(of connection: StoreConnection, ring: StoreRingPage, moved: inout Bool) -> StoreMessage? {
        let header = StoreMessage.headerSize
        while true {
            let have = connection.partialInput.count
            let wanted: Int
            if have < header {
                wanted = header - have
            } else {
                let length = StoreMessage.header(of: connection.partialInput).length
                guard length <= UInt32(StoreMessage.payloadMaximum) else {
                    breakConnection(connection, ring: ring, reason: UInt32(XENSTORE_ERROR_PROTO))
                    return nil
                }
                wanted = header + Int(length) - have
            }
            if wanted == 0 { break }
            let consumer = ring.requestConsumer
            let producer = ring.requestProducer
            bridge.sharedMemoryBarrier()
            let available = producer &- consumer
            guard available <= StoreRingPage.ringSize else {
                breakConnection(connection, ring: ring, reason: UInt32(XENSTORE_ERROR_RINGIDX))
                return nil
            }
            if available == 0 { return nil }
            let count = min(Int(available), wanted)
            ring.readRequests(at: consumer, count: count, into: &connection.partialInput)
            bridge.sharedMemoryBarrier()
            ring.requestConsumer = consumer &+ UInt32(count)
            moved = true
        }
        let fields = StoreMessage.header(of: connection.partialInput)
        let request = StoreMessage(type: fields.type, requestID: fields.requestID, transactionID: fields.transactionID,
                                   payload: Array(connection.partialInput[header...]))
        connection.partialInput = []
        return request
    }

    /// Writes as much waiting output as the response ring has room for;
    /// true if anything was written.
    @discardableResult
    func flushOutput(of connection: StoreConnection, ring: StoreRingPage) -> Bool {
        var wrote = false
        while !connection.isBroken, let next = connection.output.next {
            let consumer = ring.responseConsumer
            let producer = ring.responseProducer
            bridge.sharedMemoryBarrier()
            let used = producer &- consumer
            guard used <= StoreRingPage.ringSize else {
                breakConnection(connection, ring: ring, reason: UInt32(XENSTORE_ERROR_RINGIDX))
                return wrote
            }
            let room = Int(StoreRingPage.ringSize - used)
            if room == 0 { break }
            let count = min(room, next.count)
            ring.writeResponses(next.prefix(count), at: producer)
            bridge.sharedMemoryBarrier()
            ring.responseProducer = producer &+ UInt32(count)
            connection.output.consume(count)
            wrote = true
        }
        return wrote
    }

    private func breakConnection(_ connection: StoreConnection, ring: StoreRingPage, reason: UInt32) {
        connection.isBroken = true
        connection.partialInput = []
        _ = connection.output.takeAll()
        ring.error = reason
    }
}
