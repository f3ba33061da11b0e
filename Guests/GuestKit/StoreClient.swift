import GuestSupport
import XenPublic

/// A domain's own client of the XenStore (Xen's wire protocol, xen_xs_wire.h),
/// the small version of Linux's xenbus: the ring page and event channel the
/// toolstack gave it (HVM_PARAM_STORE_PFN / HVM_PARAM_STORE_EVTCHN), one
/// request at a time, each waited for with SCHEDOP_poll on the port.
///
/// The store's replies come in the order of the requests; a watch event
/// may come between them at any time, and is kept for `waitForWatchEvent`.
/// Errors come back as their names ("ENOENT", "EACCES"): `StoreClientError`.
final class StoreClient {
    private let ring: UnsafeMutablePointer<xenstore_domain_interface>
    private let port: evtchn_port_t
    private let page: SharedInfoView
    private let pollList: [evtchn_port_t]
    private var nextRequestID: UInt32 = 1
    /// Watch events read while waiting for a reply: (path, token).
    private var watchEvents: [([UInt8], [UInt8])] = []

    /// The store the toolstack connected this domain to; nil (and why, in
    /// the error) if there is none.
    init() throws(HypercallFailure) {
        let frame = try HVMParameters.get(UInt32(HVM_PARAM_STORE_PFN))
        let port = try HVMParameters.get(UInt32(HVM_PARAM_STORE_EVTCHN))
        // GuestKit identity-maps the first 1 GiB; the ring page is a frame
        // of this domain's own, just after its RAM.
        guard frame != 0, frame < (1 << 18), port != 0 else { throw HypercallFailure(errno: XEN_ENOENT) }
        ring = UnsafeMutablePointer(bitPattern: UInt(frame << 12))!
        self.port = evtchn_port_t(port)
        page = try SharedInfoView.map()
        pollList = [self.port]
    }

    func read(_ path: String) throws(StoreClientError) -> [UInt8] {
        try request(XS_READ, bytes(path) + [0])
    }

    func write(_ path: String, _ value: [UInt8]) throws(StoreClientError) {
        _ = try request(XS_WRITE, bytes(path) + [0] + value)
    }

    /// XS_RM: the node and everything below it.
    func remove(_ path: String) throws(StoreClientError) {
        _ = try request(XS_RM, bytes(path) + [0])
    }

    /// XS_SET_PERMS: `owner` and what others may do, then one entry per
    /// (domain, access letter "r", "w", "b" or "n").
    func setPermissions(_ path: String, owner: UInt16, others: UInt8 = UInt8(ascii: "n"),
                        entries: [(UInt16, UInt8)] = []) throws(StoreClientError) {
        var payload = bytes(path) + [0, others] + bytes("\(owner)") + [0]
        for (domain, letter) in entries { payload += [letter] + bytes("\(domain)") + [0] }
        _ = try request(XS_SET_PERMS, payload)
    }

    /// The names of the node's children.
    func directory(_ path: String) throws(StoreClientError) -> [[UInt8]] {
        let reply = try request(XS_DIRECTORY, bytes(path) + [0])
        return reply.split(separator: 0, omittingEmptySubsequences: true).map { Array($0) }
    }

    func watch(_ path: String, token: String) throws(StoreClientError) {
        _ = try request(XS_WATCH, bytes(path) + [0] + bytes(token) + [0])
    }

    /// The next watch event: (path, token).
    func waitForWatchEvent() throws(StoreClientError) -> ([UInt8], [UInt8]) {
        while watchEvents.isEmpty { try readMessage(expecting: nil) }
        return watchEvents.removeFirst()
    }

    /// One request and its reply's payload; the store's error as a throw.
    private func request(_ type: xsd_sockmsg_type, _ payload: [UInt8]) throws(StoreClientError) -> [UInt8] {
        guard payload.count <= Int(XENSTORE_PAYLOAD_MAX) else { throw .tooLong }
        let id = nextRequestID
        nextRequestID &+= 1
        send(header(type.rawValue, id, UInt32(payload.count)) + payload)
        while true {
            if let reply = try readMessage(expecting: id) { return reply }
        }
    }

    /// Reads one whole message; returns its payload if it is the reply to
    /// `id`, keeps it if it is a watch event.
    @discardableResult
    private func readMessage(expecting id: UInt32?) throws(StoreClientError) -> [UInt8]? {
        let head = receive(16)
        let type = field(head, 0), requestID = field(head, 4), length = field(head, 12)
        guard length <= XENSTORE_PAYLOAD_MAX else { throw .protocolError }
        let payload = receive(Int(length))
        if type == XS_WATCH_EVENT.rawValue {
            let parts = payload.split(separator: 0, omittingEmptySubsequences: false)
            if parts.count >= 2 { watchEvents.append((Array(parts[0]), Array(parts[1]))) }
            return nil
        }
        guard requestID == id else { return nil }      // a reply nobody waits for
        if type == XS_ERROR.rawValue { throw .store(String(decoding: payload.filter { $0 != 0 }, as: UTF8.self)) }
        return payload
    }

    // MARK: - The ring

    private var requests: UnsafeMutablePointer<UInt8> {
        UnsafeMutableRawPointer(ring).assumingMemoryBound(to: UInt8.self)
    }
    private var responses: UnsafeMutablePointer<UInt8> {
        UnsafeMutableRawPointer(ring).advanced(by: Int(XENSTORE_RING_SIZE)).assumingMemoryBound(to: UInt8.self)
    }

    private func send(_ message: [UInt8]) {
        var sent = 0
        while sent < message.count {
            let producer = ring.pointee.req_prod
            shared_memory_barrier()
            let room = Int(XENSTORE_RING_SIZE) - Int(producer &- ring.pointee.req_cons)
            if room <= 0 { waitForEvent(); continue }
            let count = min(room, message.count - sent)
            for index in 0..<count {
                requests[Int((producer &+ UInt32(index)) & UInt32(XENSTORE_RING_SIZE - 1))] = message[sent + index]
            }
            shared_memory_barrier()
            ring.pointee.req_prod = producer &+ UInt32(count)
            sent += count
            try? EventChannelOp.send(port)
        }
    }

    private func receive(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            let consumer = ring.pointee.rsp_cons
            let available = Int(ring.pointee.rsp_prod &- consumer)
            shared_memory_barrier()
            if available == 0 { waitForEvent(); continue }
            let take = min(available, count - bytes.count)
            for index in 0..<take {
                bytes.append(responses[Int((consumer &+ UInt32(index)) & UInt32(XENSTORE_RING_SIZE - 1))])
            }
            shared_memory_barrier()
            ring.pointee.rsp_cons = consumer &+ UInt32(take)
            try? EventChannelOp.send(port)
        }
        return bytes
    }

    /// Sleeps until the store's port is pending, and clears it.
    private func waitForEvent() {
        page.waitForEvent(on: port, pollList: pollList)
    }

    private func header(_ type: UInt32, _ id: UInt32, _ length: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        for value in [type, id, 0, length] {
            bytes += [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
                      UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24)]
        }
        return bytes
    }

    private func field(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    // MARK: - Finding a peer, as split drivers do

    /// Writes `value` at `node` (relative to this domain's home) and lets
    /// `peer` read it, nobody else: how a domain tells one other domain a
    /// port or a grant reference.
    func publish(_ node: String, _ value: UInt64, readableBy peer: DomainID) throws(StoreClientError) {
        guard let me = StoreClient.decimal(try read("domid")) else { throw .store("no domid node") }
        try write(node, Array("\(value)".utf8))
        try setPermissions(node, owner: UInt16(me), entries: [(UInt16(peer), UInt8(ascii: "r"))])
    }

    /// The number `peer` published at `node`, once it is there and open to
    /// this domain (until then a read is ENOENT or EACCES: it yields and
    /// tries again); nil after `timeout` ns of system time.
    func waitForNumber(publishedBy peer: DomainID, at node: String, timeout: UInt64) -> UInt64? {
        let path = "/local/domain/\(peer)/\(node)"
        let deadline = SystemTimeReader.now() + timeout
        while SystemTimeReader.now() < deadline {
            if let bytes = try? read(path), let value = StoreClient.decimal(bytes) { return value }
            try? SchedOp.yield()
        }
        return nil
    }

    /// A store value as a decimal number, nil if it is not one.
    static func decimal(_ bytes: [UInt8]) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= 19 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + UInt64(byte - 0x30)
        }
        return value
    }
}

/// Why a store request failed.
enum StoreClientError: Error {
    /// The store's answer: an errno's name, "ENOENT", "EACCES", ...
    case store(String)
    /// The request is longer than XENSTORE_PAYLOAD_MAX.
    case tooLong
    /// The store sent a header announcing more than a message may hold.
    case protocolError

    var name: String {
        switch self {
        case .store(let name): name
        case .tooLong: "request too long"
        case .protocolError: "protocol error"
        }
    }
}
