import XenPublic
@testable import BlockBackend

/// A disk in memory: `sectors` * 512 bytes, which can be told to fail.
final class FakeDisk: BlockDevice {
    var bytes: [UInt8]
    var failNextIO = false
    var failFlush = false
    var flushes = 0
    /// (sector, count) of each read and write, in order.
    var reads: [(UInt64, Int)] = []
    var writes: [(UInt64, Int)] = []
    /// Runs inside each read: lets a test play a frontend acting meanwhile.
    var duringRead: (() -> Void)?

    init(sectors: Int) {
        bytes = (0..<sectors * 512).map { UInt8(truncatingIfNeeded: $0 * 7 + $0 / 512) }
    }

    var sectorCount: UInt64 { UInt64(bytes.count / 512) }

    func read(sector: UInt64, count: Int, into buffer: UnsafeMutableRawPointer) -> Bool {
        reads.append((sector, count))
        duringRead?()
        if failNextIO { failNextIO = false; return false }
        bytes.withUnsafeBytes { disk in
            buffer.copyMemory(from: disk.baseAddress! + Int(sector) * 512, byteCount: count * 512)
        }
        return true
    }

    func write(sector: UInt64, count: Int, from buffer: UnsafeRawPointer) -> Bool {
        writes.append((sector, count))
        if failNextIO { failNextIO = false; return false }
        bytes.withUnsafeMutableBytes { disk in
            (disk.baseAddress! + Int(sector) * 512).copyMemory(from: buffer, byteCount: count * 512)
        }
        return true
    }

    func flush() -> Bool {
        flushes += 1
        return !failFlush
    }
}

/// The frontend's granted pages, by reference; a refused reference fails
/// every copy, as the hypervisor's GNTST_bad_gntref would.
final class FakeGrants: GrantCopier {
    private(set) var pages: [UInt32: UnsafeMutableRawPointer] = [:]
    var refused: Set<UInt32> = []
    var copies = 0
    /// The domains the copies named.
    var domains: Set<UInt16> = []

    func grant(_ reference: UInt32, filledWith byte: UInt8 = 0) -> UnsafeMutableRawPointer {
        let page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        page.initializeMemory(as: UInt8.self, repeating: byte, count: 4096)
        pages[reference] = page
        return page
    }

    func bytes(_ reference: UInt32, _ range: Range<Int>) -> [UInt8] {
        let page = pages[reference]!
        return range.map { page.load(fromByteOffset: $0, as: UInt8.self) }
    }

    func copy(from reference: UInt32, of frontend: UInt16, offset: Int, length: Int,
              into buffer: UnsafeMutableRawPointer) -> Bool {
        copies += 1
        domains.insert(frontend)
        guard !refused.contains(reference), let page = pages[reference], offset >= 0, offset + length <= 4096 else { return false }
        buffer.copyMemory(from: page + offset, byteCount: length)
        return true
    }

    func copy(to reference: UInt32, of frontend: UInt16, offset: Int, length: Int,
              from buffer: UnsafeRawPointer) -> Bool {
        copies += 1
        domains.insert(frontend)
        guard !refused.contains(reference), let page = pages[reference], offset >= 0, offset + length <= 4096 else { return false }
        (page + offset).copyMemory(from: buffer, byteCount: length)
        return true
    }

    deinit { for page in pages.values { page.deallocate() } }
}

final class CountingBarrier: SharedRingBarrier {
    var count = 0
    /// Runs at each barrier, after it is counted.
    var hook: (() -> Void)?
    func sharedMemoryBarrier() {
        count += 1
        hook?()
    }
}

/// The frontend's side of a real 4 KiB ring page, written the way Linux's
/// blkfront writes it: SHARED_RING_INIT, a request into the slot at its
/// private req_prod, then req_prod published; responses read from its
/// private rsp_cons up to rsp_prod.
final class FrontendRing {
    let page: UnsafeMutableRawPointer
    private(set) var requestProducer: UInt32 = 0
    private(set) var responseConsumer: UInt32 = 0

    init() {
        page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        page.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
        requestEvent = 1
        responseEvent = 1
    }

    deinit { page.deallocate() }

    var requestEvent: UInt32 {
        get { page.load(fromByteOffset: 4, as: UInt32.self) }
        set { page.storeBytes(of: newValue, toByteOffset: 4, as: UInt32.self) }
    }
    var responseProducer: UInt32 { page.load(fromByteOffset: 8, as: UInt32.self) }
    var responseEvent: UInt32 {
        get { page.load(fromByteOffset: 12, as: UInt32.self) }
        set { page.storeBytes(of: newValue, toByteOffset: 12, as: UInt32.self) }
    }
    /// Writes req_prod as a hostile frontend might.
    func setRequestProducer(_ value: UInt32) {
        requestProducer = value
        page.storeBytes(of: value, toByteOffset: 0, as: UInt32.self)
    }

    /// Puts one request in the next slot and publishes it.
    func push(_ request: blkif_request) {
        let slot = 64 + Int(requestProducer & 31) * 112
        page.storeBytes(of: request, toByteOffset: slot, as: blkif_request.self)
        setRequestProducer(requestProducer &+ 1)
    }

    /// The responses published since the last call; then, unless told
    /// not to, asks to hear of the next one (RING_FINAL_CHECK_FOR_RESPONSES
    /// sets rsp_event = rsp_cons + 1).
    func takeResponses(rearm: Bool = true) -> [blkif_response] {
        var responses: [blkif_response] = []
        while responseConsumer != responseProducer {
            let slot = 64 + Int(responseConsumer & 31) * 112
            responses.append(page.load(fromByteOffset: slot, as: blkif_response.self))
            responseConsumer &+= 1
        }
        if rearm { responseEvent = responseConsumer &+ 1 }
        return responses
    }
}

/// A request as blkfront fills it: `segments` are (gref, first, last).
func blkifRequest(_ operation: Int32, id: UInt64, sector: UInt64 = 0,
                  segments: [(UInt32, UInt8, UInt8)] = [], count: Int? = nil) -> blkif_request {
    var request = blkif_request()
    request.operation = UInt8(operation)
    request.nr_segments = UInt8(count ?? segments.count)
    request.handle = 51712
    request.id = id
    request.sector_number = sector
    withUnsafeMutableBytes(of: &request.seg) { slots in
        for (index, segment) in segments.enumerated() {
            var raw = blkif_request_segment()
            raw.gref = segment.0
            raw.first_sect = segment.1
            raw.last_sect = segment.2
            slots.storeBytes(of: raw, toByteOffset: index * 8, as: blkif_request_segment.self)
        }
    }
    return request
}
