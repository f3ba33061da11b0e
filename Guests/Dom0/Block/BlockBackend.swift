import XenPublic

/// Dom0's block backend for one vbd: serves the requests a frontend puts
/// on its ring, with the disk behind `device` and the frontend's pages
/// reached through `copier`, one response per request (its id and
/// operation, and a BLKIF_RSP_* status).
///
/// A bad request gets an error response and the backend goes on; a broken
/// ring (req_prod more than a ring ahead) is not read again, and the
/// caller hears of it to close the connection. Data goes through one
/// bounce buffer of 11 pages (the most one request can move), allocated
/// once, so serving allocates nothing.
final class BlockBackend {
    static let bounceBytes = Int(BLKIF_MAX_SEGMENTS_PER_REQUEST) * 4096
    /// Requests one `serve()` takes before it returns with `moreWork`, so
    /// one busy frontend cannot keep dom0 from its other ports.
    static let requestsPerServe = 4 * Int(BlockRing.entryCount)

    /// What one `serve()` did.
    struct Outcome: Equatable {
        /// The frontend asked to hear of the responses: send it an event.
        var notify = false
        /// The budget ran out with requests still waiting: serve again.
        var moreWork = false
        /// The ring is broken (now or before): close the connection.
        var broken = false
    }

    let frontend: UInt16
    let device: BlockDevice
    let readOnly: Bool
    private let copier: GrantCopier
    private var ring: BlockRing
    private let bounce: UnsafeMutableRawPointer

    private(set) var requestsServed = 0
    /// Responses whose status was not BLKIF_RSP_OKAY.
    private(set) var errors = 0
    private(set) var lastRefusal: BlockRefusal?
    /// The req_prod that broke the ring, once it has.
    private(set) var brokenRequestProducer: UInt32?

    init(frontend: UInt16, device: BlockDevice, readOnly: Bool, ringPage: UnsafeMutableRawPointer,
         copier: GrantCopier, barrier: SharedRingBarrier) {
        self.frontend = frontend
        self.device = device
        self.readOnly = readOnly
        self.copier = copier
        ring = BlockRing(page: ringPage, barrier: barrier)
        bounce = UnsafeMutableRawPointer.allocate(byteCount: Self.bounceBytes, alignment: 4096)
    }

    deinit { bounce.deallocate() }

    var isBroken: Bool { brokenRequestProducer != nil }

    /// Serves what is on the ring, pushes the responses, and does the final
    /// check before returning, so a request that came meanwhile is either
    /// served or will be notified.
    func serve() -> Outcome {
        var outcome = Outcome()
        guard !isBroken else {
            outcome.broken = true
            return outcome
        }
        var budget = Self.requestsPerServe
        while true {
            var pending = ring.pending()
            if pending == .none { pending = ring.finalCheck() }
            switch pending {
            case .none:
                return outcome
            case .broken(let producer):
                brokenRequestProducer = producer
                outcome.broken = true
                return outcome
            case .requests(let count):
                guard budget > 0 else {
                    outcome.moreWork = true
                    return outcome
                }
                let batch = min(Int(count), budget)
                budget -= batch
                for _ in 0..<batch { answer(ring.takeRequest()) }
                if ring.pushResponses() { outcome.notify = true }
            }
        }
    }

    private func answer(_ request: blkif_request) {
        let refusal = perform(BlockCommand(request, diskSectors: device.sectorCount, readOnly: readOnly))
        requestsServed += 1
        if let refusal {
            errors += 1
            lastRefusal = refusal
        }
        ring.putResponse(id: request.id, operation: request.operation, status: refusal?.status ?? Int16(BLKIF_RSP_OKAY))
    }

    /// Nil if it worked.
    private func perform(_ command: BlockCommand) -> BlockRefusal? {
        switch command {
        case .read(let transfer): return read(transfer)
        case .write(let transfer): return write(transfer)
        case .flush(let transfer):
            if let transfer, let refusal = write(transfer) { return refusal }
            return device.flush() ? nil : .deviceError
        case .refuse(let refusal): return refusal
        }
    }

    private func read(_ transfer: BlockTransfer) -> BlockRefusal? {
        guard device.read(sector: transfer.sector, count: transfer.sectorCount, into: bounce) else { return .deviceError }
        var offset = 0
        for index in 0..<transfer.segmentCount {
            let segment = transfer.segment(index)
            guard copier.copy(to: segment.reference, of: frontend, offset: segment.byteOffset,
                              length: segment.byteCount, from: bounce + offset) else {
                return .badGrant(index: index, reference: segment.reference)
            }
            offset += segment.byteCount
        }
        return nil
    }

    /// All the data comes in before the disk sees any of it: a bad grant in
    /// the last segment writes nothing.
    private func write(_ transfer: BlockTransfer) -> BlockRefusal? {
        var offset = 0
        for index in 0..<transfer.segmentCount {
            let segment = transfer.segment(index)
            guard copier.copy(from: segment.reference, of: frontend, offset: segment.byteOffset,
                              length: segment.byteCount, into: bounce + offset) else {
                return .badGrant(index: index, reference: segment.reference)
            }
            offset += segment.byteCount
        }
        return device.write(sector: transfer.sector, count: transfer.sectorCount, from: bounce) ? nil : .deviceError
    }
}
