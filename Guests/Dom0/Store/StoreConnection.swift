import XenPublic

/// One client of the store: a domain's ring (introduced with XS_INTRODUCE)
/// or a local client in dom0 that calls the store directly.
///
/// It keeps what belongs to the client: its watches, open transactions,
/// the part of a request read so far, and output waiting for ring space.
/// Everything it holds is bounded by `StoreQuotas` for an unprivileged
/// domain: the input buffer by one message (16 + XENSTORE_PAYLOAD_MAX),
/// the output by `queuedOutputBytes` plus one reply.
public final class StoreConnection {
    public let domain: UInt16
    /// The shared page, for a domain's connection; nil for a local one.
    public let ring: StoreRingPage?
    /// Dom0's end of the domain's store event channel.
    public let localPort: UInt32
    /// What the domain gave in XS_INTRODUCE (to recognise a repeat).
    let frame: UInt64
    let remotePort: UInt32

    var watches: [StoreWatch] = []
    var transactions: [UInt32: StoreTransaction] = [:]
    var output = StoreOutputQueue()
    var partialInput: [UInt8] = []
    /// Set when the client broke the protocol; a broken connection is
    /// never read again (Xen drops it; the guest must reconnect).
    public internal(set) var isBroken = false
    /// Watch events not queued because the output was full.
    public internal(set) var droppedWatchEvents = 0

    init(domain: UInt16, ring: StoreRingPage?, localPort: UInt32 = 0, frame: UInt64 = 0, remotePort: UInt32 = 0) {
        self.domain = domain
        self.ring = ring
        self.localPort = localPort
        self.frame = frame
        self.remotePort = remotePort
    }

    public var queuedOutputBytes: Int { output.byteCount }
    public var watchCount: Int { watches.count }
    public var transactionCount: Int { transactions.count }

    /// The messages waiting for a local client, decoded, oldest first.
    public func takeMessages() -> [StoreMessage] {
        output.takeAll().map { bytes in
            let header = StoreMessage.header(of: bytes)
            return StoreMessage(type: header.type, requestID: header.requestID, transactionID: header.transactionID,
                                payload: Array(bytes[StoreMessage.headerSize...]))
        }
    }
}
