import GuestSupport
import XenPublic

/// One vbd connected the way Linux's xen-blkfront connects (xenbus states,
/// io/xenbus.h): wait for the backend's InitWait, read what it offers,
/// grant the ring page, open a port for the backend, write ring-ref,
/// event-channel and protocol, then Initialised; the backend maps the
/// ring and goes Connected; so does the frontend.
final class BlockFrontConnection {
    let store: StoreClient
    let device: String
    let backend: String
    let ring = BlockFrontRing()
    let port: evtchn_port_t
    let sectors: UInt64
    /// A page the backend may write (reads land here) and one it may only read.
    let data: UnsafeMutableRawPointer
    let dataReference: GrantReference
    let readOnlyReference: GrantReference
    private let sharedInfo: SharedInfoView
    private let pollList: [evtchn_port_t]
    private var nextID: UInt64 = 0x1000

    /// Nil (and a failed check) if the backend does not answer the handshake.
    init?(_ store: StoreClient, device: String, _ tally: inout CheckTally) throws(HypercallFailure) {
        self.store = store
        self.device = device
        backend = String(decoding: (try? store.read(device + "/backend")) ?? [], as: UTF8.self)
        let waited = Self.waitForState(store, backend + "/state", [XenbusStateInitWait])
        tally.expect("backend in InitWait", got: Int64(waited?.rawValue ?? 0), expected: Int64(XenbusStateInitWait.rawValue))
        sectors = StoreClient.decimal((try? store.read(backend + "/sectors")) ?? []) ?? 0
        let sectorSize = StoreClient.decimal((try? store.read(backend + "/sector-size")) ?? []) ?? 0
        tally.expect("backend offers sectors of 512 bytes", got: sectors > 16 && sectorSize == 512 ? 1 : 0, expected: 1)
        guard waited != nil else { return nil }

        let table = try GrantTableClient.setUp()
        sharedInfo = try SharedInfoView.map()
        port = try EventChannelOp.allocateUnbound(remoteDomain: 0)
        pollList = [port]
        data = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        let readOnly = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        guard let ringReference = table.grantAccess(to: 0, frame: ring.frame),
              let dataReference = table.grantAccess(to: 0, frame: Hypercall.argument(data) >> 12),
              let readOnlyReference = table.grantAccess(to: 0, frame: Hypercall.argument(readOnly) >> 12, readOnly: true) else {
            tally.fail("grant the ring", because: "no free grant entry")
            return nil
        }
        self.dataReference = dataReference
        self.readOnlyReference = readOnlyReference
        do throws(StoreClientError) {
            try store.write(device + "/ring-ref", Array("\(ringReference)".utf8))
            try store.write(device + "/event-channel", Array("\(port)".utf8))
            try store.write(device + "/protocol", Array("x86_64-abi".utf8))
            try store.write(device + "/state", Array("\(XenbusStateInitialised.rawValue)".utf8))
        } catch {
            tally.fail("publish the ring", because: "the store refused")
            return nil
        }
        let connected = Self.waitForState(store, backend + "/state", [XenbusStateConnected])
        tally.expect("backend Connected", got: Int64(connected?.rawValue ?? 0), expected: Int64(XenbusStateConnected.rawValue))
        guard connected != nil else { return nil }
        try? store.write(device + "/state", Array("\(XenbusStateConnected.rawValue)".utf8))
    }

    func segment(_ reference: GrantReference, _ first: UInt8, _ last: UInt8) -> BlockFrontRing.Segment {
        BlockFrontRing.Segment(reference: reference, firstSector: first, lastSector: last)
    }

    /// Sends one request and waits for its response: its status, or
    /// Int16.min if none came in time or it answered another id.
    func request(_ operation: UInt8, sector: UInt64, segments: [BlockFrontRing.Segment], segmentCount: UInt8? = nil) -> Int16 {
        nextID += 1
        ring.push(operation: operation, id: nextID, sector: sector, segments: segments, segmentCount: segmentCount)
        try? EventChannelOp.send(port)
        let deadline = SystemTimeReader.now() + BlockFrontChecks.timeout
        while SystemTimeReader.now() < deadline {
            if let response = ring.takeResponse() {
                guard response.id == nextID, response.operation == operation else {
                    print("blockfront: response id \(response.id) op \(response.operation), expected \(nextID) op \(operation)")
                    return Int16.min
                }
                return response.status
            }
            try? SchedOp.poll(ports: pollList, timeout: SystemTimeReader.now() + 100_000_000)
            sharedInfo.clearPending(port)
        }
        print("blockfront: no response to request \(nextID)")
        return Int16.min
    }

    /// The last check: the backend must give up on a ring whose producer
    /// index runs more than a ring ahead, and say so in its state.
    func breakRing(_ tally: inout CheckTally) {
        ring.publishBrokenProducer(distance: 1000)
        try? EventChannelOp.send(port)
        let state = Self.waitForState(store, backend + "/state", [XenbusStateClosing, XenbusStateClosed])
        tally.expect("a broken ring closes the backend", got: state == nil ? 0 : 1, expected: 1)
    }

    /// Polls a state node until it holds one of `wanted`; nil on timeout.
    static func waitForState(_ store: StoreClient, _ path: String, _ wanted: [xenbus_state]) -> xenbus_state? {
        let deadline = SystemTimeReader.now() + BlockFrontChecks.timeout
        while SystemTimeReader.now() < deadline {
            if let value = StoreClient.decimal((try? store.read(path)) ?? []),
               let state = wanted.first(where: { UInt64($0.rawValue) == value }) {
                return state
            }
            try? SchedOp.yield()
        }
        return nil
    }
}
