import XenPublic

/// The nodes a blkif frontend writes in its device directory before it
/// goes Initialised, as read from the store (nil: absent), and what the
/// backend accepts of them: one one-page ring, one queue, the x86_64 ABI.
struct BlockFrontendNodes {
    var ringReference: [UInt8]?     // "ring-ref"
    var eventChannel: [UInt8]?      // "event-channel"
    var protocolName: [UInt8]?      // "protocol"
    var ringPageOrder: [UInt8]?     // "ring-page-order", only if the backend offered more
    var queueCount: [UInt8]?        // "multi-queue-num-queues", likewise

    static let ringReferenceNode = "ring-ref"
    static let eventChannelNode = "event-channel"
    static let protocolNode = "protocol"
    static let ringPageOrderNode = "ring-page-order"
    static let queueCountNode = "multi-queue-num-queues"

    /// The ring's grant reference and the frontend's unbound port, or why
    /// they cannot be used.
    func ringParameters() -> Result<BlockRingParameters, BlockFrontendProblem> {
        // The backend offers neither max-ring-page-order nor
        // multi-queue-max-queues: anything but their defaults is a
        // frontend that did not read what the backend published.
        if ringPageOrder != nil, BlockNodeText.decimal(ringPageOrder) != 0 { return .failure(.multiPageRing) }
        if queueCount != nil, BlockNodeText.decimal(queueCount) != 1 { return .failure(.multipleQueues) }
        if let protocolName, !protocolName.elementsEqual(XEN_IO_PROTO_ABI_X86_64.utf8) {
            return .failure(.unsupportedProtocol)
        }
        guard let reference = BlockNodeText.decimal(ringReference) else { return .failure(.badRingReference) }
        guard let port = BlockNodeText.decimal(eventChannel), port != 0 else { return .failure(.badEventChannel) }
        return .success(BlockRingParameters(ringReference: reference, eventChannel: port))
    }
}

/// Where a connected frontend's ring is.
struct BlockRingParameters: Equatable {
    /// The grant reference of the ring page.
    let ringReference: UInt32
    /// The frontend's port, unbound and waiting for the backend's domain.
    let eventChannel: UInt32
}
