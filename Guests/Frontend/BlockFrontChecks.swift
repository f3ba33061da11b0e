import GuestSupport
import XenPublic

/// A block frontend that connects to dom0's blkback the way Linux's
/// xen-blkfront does (the xenbus handshake through the store, a one-page
/// ring, one event channel), then sends it good requests and bad ones:
///
/// - good: read sector 0 (the test's disk starts with a known text),
///   write 8 sectors and read them back, flush: BLKIF_RSP_OKAY, each
///   response with its request's id;
/// - bad: a read past the end, one that straddles it, 0 and 12 segments,
///   first_sect after last_sect, last_sect 8, a grant reference never
///   granted, a read into a page granted read-only: BLKIF_RSP_ERROR; an
///   unknown operation and WRITE_BARRIER: BLKIF_RSP_EOPNOTSUPP;
/// - last, a broken ring (req_prod far ahead of the responses): the
///   backend stops serving it and goes Closing or Closed; dom0 goes on.
///
/// Only with a vbd in the domain's device/vbd (a `disk =` in its config).
enum BlockFrontChecks {
    static let timeout: UInt64 = 20_000_000_000
    /// The first bytes of the test's disk (BootTests write them).
    static let diskSignature: StaticString = "blockfront test disk"

    static func run(_ tally: inout CheckTally, _ store: StoreClient) {
        guard let devices = try? store.directory("device/vbd"), let first = devices.first else { return }
        let device = "device/vbd/" + String(decoding: first, as: UTF8.self)
        do throws(HypercallFailure) {
            guard let connection = try BlockFrontConnection(store, device: device, &tally) else { return }
            goodRequests(&tally, connection)
            badRequests(&tally, connection)
            connection.breakRing(&tally)
        } catch {
            tally.fail("blkfront", because: "a hypercall failed")
            print("blockfront: \(error.name) (\(error.result))")
        }
    }

    private static func goodRequests(_ tally: inout CheckTally, _ c: BlockFrontConnection) {
        let read = c.request(UInt8(BLKIF_OP_READ), sector: 0, segments: [c.segment(c.dataReference, 0, 0)])
        tally.expect("read sector 0", got: Int64(read), expected: Int64(BLKIF_RSP_OKAY))
        tally.expect("sector 0 holds the disk's signature", got: matches(diskSignature, at: c.data) ? 1 : 0, expected: 1)

        for index in 0..<4096 { c.data.storeBytes(of: UInt8(truncatingIfNeeded: index &* 31 &+ 7), toByteOffset: index, as: UInt8.self) }
        let wrote = c.request(UInt8(BLKIF_OP_WRITE), sector: 8, segments: [c.segment(c.dataReference, 0, 7)])
        tally.expect("write sectors 8-15", got: Int64(wrote), expected: Int64(BLKIF_RSP_OKAY))
        c.data.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
        // Two segments of one page each: sectors 8-11 into its first half, 12-15 into the second.
        let readBack = c.request(UInt8(BLKIF_OP_READ), sector: 8,
                                 segments: [c.segment(c.dataReference, 0, 3), c.segment(c.dataReference, 4, 7)])
        let same = (0..<4096).allSatisfy { c.data.load(fromByteOffset: $0, as: UInt8.self) == UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        tally.expect("read back what was written", got: readBack == Int16(BLKIF_RSP_OKAY) && same ? 1 : 0, expected: 1)
        tally.expect("flush", got: Int64(c.request(UInt8(BLKIF_OP_FLUSH_DISKCACHE), sector: 0, segments: [])),
                     expected: Int64(BLKIF_RSP_OKAY))
    }

    private static func badRequests(_ tally: inout CheckTally, _ c: BlockFrontConnection) {
        let error = Int64(BLKIF_RSP_ERROR)
        let page = c.segment(c.dataReference, 0, 7)
        let read = UInt8(BLKIF_OP_READ)
        tally.expect("read past the end", got: Int64(c.request(read, sector: c.sectors, segments: [c.segment(c.dataReference, 0, 0)])), expected: error)
        tally.expect("read across the end", got: Int64(c.request(read, sector: c.sectors - 1, segments: [c.segment(c.dataReference, 0, 1)])), expected: error)
        tally.expect("read with 0 segments", got: Int64(c.request(read, sector: 0, segments: [], segmentCount: 0)), expected: error)
        tally.expect("read with 12 segments", got: Int64(c.request(read, sector: 0, segments: [page], segmentCount: 12)), expected: error)
        tally.expect("first_sect after last_sect", got: Int64(c.request(read, sector: 0, segments: [c.segment(c.dataReference, 3, 2)])), expected: error)
        tally.expect("last_sect 8", got: Int64(c.request(read, sector: 0, segments: [c.segment(c.dataReference, 0, 8)])), expected: error)
        tally.expect("a reference never granted", got: Int64(c.request(read, sector: 0, segments: [c.segment(900, 0, 0)])), expected: error)
        tally.expect("a read into a read-only grant", got: Int64(c.request(read, sector: 0, segments: [c.segment(c.readOnlyReference, 0, 0)])), expected: error)
        tally.expect("an unknown operation", got: Int64(c.request(99, sector: 0, segments: [page])), expected: Int64(BLKIF_RSP_EOPNOTSUPP))
        tally.expect("write barrier", got: Int64(c.request(UInt8(BLKIF_OP_WRITE_BARRIER), sector: 0, segments: [page])),
                     expected: Int64(BLKIF_RSP_EOPNOTSUPP))
    }

    static func matches(_ text: StaticString, at page: UnsafeMutableRawPointer) -> Bool {
        (0..<text.utf8CodeUnitCount).allSatisfy { page.load(fromByteOffset: $0, as: UInt8.self) == text.utf8Start[$0] }
    }
}
