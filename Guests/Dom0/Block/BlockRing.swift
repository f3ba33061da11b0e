import XenPublic

/// The backend's end of a one-page blkif ring (io/ring.h), over the
/// frontend's granted page.
///
/// The frontend writes req_prod, rsp_event and the request slots; the
/// backend writes req_event, rsp_prod and the response slots. The consumer
/// index of the requests and the producer index of the responses not yet
/// pushed are the backend's own, kept here and never read back from the
/// page. The frontend may change its fields at any moment, so each is read
/// once per check, a request is copied out whole before it is looked at,
/// and a req_prod more than a ring ahead is a broken ring, never a loop.
struct BlockRing {
    static let entryCount = UInt32(BLKIF_RING_ENTRIES_ONE_PAGE)
    static let headerSize = Int(BLKIF_SRING_HEADER_SIZE)
    static let entrySize = MemoryLayout<blkif_sring_entry>.stride
    static let requestProducerOffset = 0
    static let requestEventOffset = 4
    static let responseProducerOffset = 8
    static let responseEventOffset = 12

    /// What the frontend has put on the ring that the backend has not taken.
    enum Pending: Equatable {
        case none
        case requests(UInt32)
        /// req_prod is more than a ring ahead of the responses: the
        /// frontend is broken (or hostile); the ring is not served again.
        case broken(requestProducer: UInt32)
    }

    let page: UnsafeMutableRawPointer
    let barrier: SharedRingBarrier
    /// req_cons: the next request to take.
    private(set) var requestConsumer: UInt32 = 0
    /// rsp_prod_pvt: where the next response goes; pushed by `pushResponses`.
    private(set) var responseProducer: UInt32 = 0
    /// The rsp_prod last written to the page (kept, not read back: the
    /// frontend could write anything there).
    private var pushedResponses: UInt32 = 0

    /// A ring the frontend has just initialised (all indices 0, req_event
    /// and rsp_event 1, as SHARED_RING_INIT leaves them).
    init(page: UnsafeMutableRawPointer, barrier: SharedRingBarrier) {
        self.page = page
        self.barrier = barrier
    }

    /// Requests waiting, counted as RING_HAS_UNCONSUMED_REQUESTS does: never
    /// more than the free response slots, so the backend never holds more
    /// work than the ring has room to answer.
    func pending() -> Pending {
        let producer = load(Self.requestProducerOffset)
        // The entries up to `producer` are read only after this barrier.
        barrier.sharedMemoryBarrier()
        if producer &- responseProducer > Self.entryCount { return .broken(requestProducer: producer) }
        let unconsumed = producer &- requestConsumer
        let room = Self.entryCount &- (requestConsumer &- responseProducer)
        let count = min(unconsumed, room)
        return count == 0 ? .none : .requests(count)
    }

    /// Copies the next request out of its slot (the caller saw it pending).
    mutating func takeRequest() -> blkif_request {
        let request = page.load(fromByteOffset: slotOffset(requestConsumer), as: blkif_request.self)
        requestConsumer &+= 1
        return request
    }

    /// Writes a response into the next response slot; the frontend sees it
    /// only after `pushResponses`.
    mutating func putResponse(id: UInt64, operation: UInt8, status: Int16) {
        var response = blkif_response()
        response.id = id
        response.operation = operation
        response.status = status
        page.storeBytes(of: response, toByteOffset: slotOffset(responseProducer), as: blkif_response.self)
        responseProducer &+= 1
    }

    /// Publishes the responses written so far; true if the frontend asked to
    /// be notified of them (rsp_event lies in the newly published range),
    /// as RING_PUSH_RESPONSES_AND_CHECK_NOTIFY decides.
    mutating func pushResponses() -> Bool {
        let old = pushedResponses
        let new = responseProducer
        pushedResponses = new
        // The responses before the index that publishes them.
        barrier.sharedMemoryBarrier()
        store(new, Self.responseProducerOffset)
        // rsp_event is read after rsp_prod is visible, or an update of it
        // racing with ours would be missed.
        barrier.sharedMemoryBarrier()
        let event = load(Self.responseEventOffset)
        return new &- event < new &- old
    }

    /// RING_FINAL_CHECK_FOR_REQUESTS: before the backend sleeps it asks to
    /// be notified of the next request (req_event = req_cons + 1) and looks
    /// once more, so a request the frontend put just before that store is
    /// not left waiting for a notification that will never come.
    func finalCheck() -> Pending {
        let now = pending()
        if now != .none { return now }
        store(requestConsumer &+ 1, Self.requestEventOffset)
        barrier.sharedMemoryBarrier()
        return pending()
    }

    private func slotOffset(_ index: UInt32) -> Int {
        Self.headerSize + Int(index & (Self.entryCount - 1)) * Self.entrySize
    }

    private func load(_ offset: Int) -> UInt32 { page.load(fromByteOffset: offset, as: UInt32.self) }
    private func store(_ value: UInt32, _ offset: Int) { page.storeBytes(of: value, toByteOffset: offset, as: UInt32.self) }
}
