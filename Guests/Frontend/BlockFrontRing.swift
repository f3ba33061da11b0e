import GuestSupport
import XenPublic

/// The frontend's half of one blkif shared ring (Xen's io/ring.h and
/// io/blkif.h, 64-bit layout), written with plain offsets so that a test
/// can put into it what no well-behaved frontend would: the page is
/// granted to the backend, which copies each request out before it
/// checks it.
///
///     0   req_prod   (frontend)    4  req_event (backend)
///     8   rsp_prod   (backend)    12  rsp_event (frontend)
///     64  32 entries of 112 bytes: a request, overwritten by its response
///
/// Request: operation u8, nr_segments u8, handle u16, 4 bytes pad, id u64
/// at 8, sector_number u64 at 16, 11 segments at 24 of 8 bytes each
/// (gref u32, first_sect u8, last_sect u8, 2 pad). Response: id u64,
/// operation u8 at 8, status i16 at 10.
final class BlockFrontRing {
    static let entryCount: UInt32 = 32
    static let entrySize = 112
    static let headerSize = 64

    struct Segment {
        var reference: GrantReference
        var firstSector: UInt8
        var lastSector: UInt8
    }

    struct Response {
        var id: UInt64
        var operation: UInt8
        var status: Int16
    }

    let page: UnsafeMutableRawPointer
    private var requestsProduced: UInt32 = 0
    private var responsesConsumed: UInt32 = 0

    init() {
        page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        page.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
        // SHARED_RING_INIT: the backend's first response is worth an event.
        page.storeBytes(of: UInt32(1), toByteOffset: 4, as: UInt32.self)
        page.storeBytes(of: UInt32(1), toByteOffset: 12, as: UInt32.self)
    }

    var frame: UInt64 { Hypercall.argument(page) >> 12 }

    /// Fills the next request slot and publishes it (req_prod after the
    /// entry, with a barrier between, as RING_PUSH_REQUESTS does).
    func push(operation: UInt8, id: UInt64, sector: UInt64, segments: [Segment], segmentCount: UInt8? = nil) {
        let entry = page + Self.headerSize + Int(requestsProduced % Self.entryCount) * Self.entrySize
        entry.initializeMemory(as: UInt8.self, repeating: 0, count: Self.entrySize)
        entry.storeBytes(of: operation, as: UInt8.self)
        entry.storeBytes(of: segmentCount ?? UInt8(segments.count), toByteOffset: 1, as: UInt8.self)
        entry.storeBytes(of: id, toByteOffset: 8, as: UInt64.self)
        entry.storeBytes(of: sector, toByteOffset: 16, as: UInt64.self)
        for (index, segment) in segments.prefix(11).enumerated() {
            let at = 24 + index * 8
            entry.storeBytes(of: segment.reference, toByteOffset: at, as: UInt32.self)
            entry.storeBytes(of: segment.firstSector, toByteOffset: at + 4, as: UInt8.self)
            entry.storeBytes(of: segment.lastSector, toByteOffset: at + 5, as: UInt8.self)
        }
        requestsProduced &+= 1
        shared_memory_barrier()
        page.storeBytes(of: requestsProduced, as: UInt32.self)
    }

    /// A request index no frontend may publish: `distance` entries ahead
    /// of what the backend has answered, more than the ring holds.
    func publishBrokenProducer(distance: UInt32) {
        shared_memory_barrier()
        page.storeBytes(of: responsesConsumed &+ distance, as: UInt32.self)
    }

    /// The next response, if the backend has produced one.
    func takeResponse() -> Response? {
        shared_memory_barrier()
        let produced = load_u32(Hypercall.argument(page) + 8)
        guard produced != responsesConsumed else { return nil }
        shared_memory_barrier()
        let entry = page + Self.headerSize + Int(responsesConsumed % Self.entryCount) * Self.entrySize
        let response = Response(id: entry.load(as: UInt64.self),
                                operation: entry.load(fromByteOffset: 8, as: UInt8.self),
                                status: entry.load(fromByteOffset: 10, as: Int16.self))
        responsesConsumed &+= 1
        // Ask for an event with the next response (rsp_event = cons + 1).
        page.storeBytes(of: responsesConsumed &+ 1, toByteOffset: 12, as: UInt32.self)
        return response
    }
}
