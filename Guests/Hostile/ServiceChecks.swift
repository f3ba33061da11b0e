import GuestSupport
import XenPublic

/// What a hostile domU does to the services dom0 gives it (only as a domU
/// built by the Swift dom0: as dom0 there is no store, and these are not
/// run). Each misuse must get the store's error and change nothing of
/// anybody else's:
///
/// - other domains' nodes: reading any /local/domain/N/name but its own is
///   EACCES, whether N exists or not (existence must not leak), and so is
///   writing into another domain's home or changing the permissions of a
///   node the toolstack keeps read-only;
/// - a value over the store's 2048-byte limit is ENOSPC;
/// - a flood of nodes stops with ENOSPC at its quota, and removing them
///   gives the room back;
/// - the disk controller whose disks dom0 serves is dom0's alone: its
///   ports exit for a domU and read as an empty bus (FFh), whatever the
///   emulated controller would have said;
/// - last, the rings themselves: console ring indices 64 KiB apart (dom0
///   stops reading that console and says so), then a store message header
///   announcing 64 KiB, which breaks the protocol: dom0 marks the page's
///   `error` (XENSTORE_ERROR_PROTO) and drops the connection.
enum ServiceChecks {
    /// True if the checks ran (the domain has a store).
    static func run(_ tally: inout CheckTally) -> Bool {
        guard let store = try? StoreClient() else {
            print("hostile: no store (not built by the Swift dom0): service checks not run")
            return false
        }
        let me = StoreClient.decimal((try? store.read("domid")) ?? []) ?? 0
        otherDomains(&tally, store, me: me)
        limits(&tally, store)
        diskControllerIsDom0s(&tally)
        breakConsoleRing(&tally)
        breakStoreRing(&tally)
        return true
    }

    private static func diskControllerIsDom0s(_ tally: inout CheckTally) {
        let ports: [UInt16] = [0x1F7, 0x3F6, 0x177, 0x376]
        let emptyBus = ports.filter { port_read8($0) == 0xFF }.count
        tally.expect("ATA status ports read FFh (an exit, not the device)", got: Int64(emptyBus), expected: Int64(ports.count))
    }

    private static func otherDomains(_ tally: inout CheckTally, _ store: StoreClient, me: UInt64) {
        var refused = 0
        for other: UInt64 in 0...4 where other != me {
            if same(error(of: { () throws(StoreClientError) in _ = try store.read("/local/domain/\(other)/name") }), "EACCES") {
                refused += 1
            }
        }
        tally.expect("read another domain's name, d0 to d4", got: Int64(refused), expected: 4)
        let other = me == 1 ? 2 : 1
        tally.expect("write into another domain's home", got: error(of: { () throws(StoreClientError) in
            try store.write("/local/domain/\(other)/data/forged", Array("x".utf8))
        }), expected: "EACCES")
        tally.expect("take over the read-only name", got: error(of: { () throws(StoreClientError) in
            try store.setPermissions("name", owner: UInt16(me), others: UInt8(ascii: "b"))
        }), expected: "EACCES")
    }

    private static func limits(_ tally: inout CheckTally, _ store: StoreClient) {
        tally.expect("a 2049-byte value", got: error(of: { () throws(StoreClientError) in
            try store.write("data/big", [UInt8](repeating: 0x41, count: 2049))
        }), expected: "ENOSPC")
        var written = 0
        var stop = "none"
        while written < 2000 {
            let outcome = error(of: { () throws(StoreClientError) in
                try store.write("data/flood/\(written)", Array("x".utf8))
            })
            if !same(outcome, "ok") { stop = outcome; break }
            written += 1
        }
        print("hostile: the node flood stopped after \(written) nodes")
        tally.expect("a flood of nodes stops at the quota", got: stop, expected: "ENOSPC")
        tally.expect("removing the flood", got: error(of: { () throws(StoreClientError) in
            try store.remove("data/flood")
        }), expected: "ok")
        tally.expect("room again after it", got: error(of: { () throws(StoreClientError) in
            try store.write("data/after-flood", Array("x".utf8))
        }), expected: "ok")
    }

    /// Moves out_prod 64 KiB past out_cons: more than the ring holds.
    private static func breakConsoleRing(_ tally: inout CheckTally) {
        guard let frame = try? HVMParameters.get(UInt32(HVM_PARAM_CONSOLE_PFN)),
              let port = try? HVMParameters.get(UInt32(HVM_PARAM_CONSOLE_EVTCHN)), frame != 0,
              let console = UnsafeMutablePointer<xencons_interface>(bitPattern: UInt(frame << 12)) else {
            tally.fail("break the console ring", because: "no console page")
            return
        }
        console.pointee.out_prod = console.pointee.out_cons &+ 0x1_0000
        shared_memory_barrier()
        tally.expect("notify the broken console", got: error(ofHypercall: { () throws(HypercallFailure) in
            try EventChannelOp.send(evtchn_port_t(port))
        }), expected: "ok")
    }

    /// A header announcing 64 KiB of payload, and the daemon's verdict in
    /// the page, waited for (dom0 serves the ring when it next runs).
    private static func breakStoreRing(_ tally: inout CheckTally) {
        guard let frame = try? HVMParameters.get(UInt32(HVM_PARAM_STORE_PFN)),
              let port = try? HVMParameters.get(UInt32(HVM_PARAM_STORE_EVTCHN)), frame != 0,
              let ring = UnsafeMutablePointer<xenstore_domain_interface>(bitPattern: UInt(frame << 12)) else {
            tally.fail("break the store ring", because: "no store page")
            return
        }
        let header: [UInt32] = [XS_READ.rawValue, 0x4242, 0, 0x1_0000]
        let requests = UnsafeMutableRawPointer(ring).assumingMemoryBound(to: UInt8.self)
        var producer = ring.pointee.req_prod
        for field in header {
            for shift in stride(from: 0, to: 32, by: 8) {
                requests[Int(producer & UInt32(XENSTORE_RING_SIZE - 1))] = UInt8(truncatingIfNeeded: field >> UInt32(shift))
                producer &+= 1
            }
        }
        shared_memory_barrier()
        ring.pointee.req_prod = producer
        try? EventChannelOp.send(evtchn_port_t(port))
        let deadline = SystemTimeReader.now() + 5_000_000_000
        while ring.pointee.error == 0 && SystemTimeReader.now() < deadline { try? SchedOp.yield() }
        tally.expect("an oversized store message breaks the connection", got: Int64(ring.pointee.error),
                     expected: Int64(XENSTORE_ERROR_PROTO))
    }

    /// Byte for byte: String's == needs Unicode tables the guests do not link.
    private static func same(_ text: String, _ other: StaticString) -> Bool {
        Array(text.utf8) == Array(UnsafeBufferPointer(start: other.utf8Start, count: other.utf8CodeUnitCount))
    }

    private static func error(of body: () throws(StoreClientError) -> Void) -> String {
        do throws(StoreClientError) { try body(); return "ok" } catch { return error.name }
    }

    private static func error(ofHypercall body: () throws(HypercallFailure) -> Void) -> String {
        do throws(HypercallFailure) { try body(); return "ok" } catch { return "\(error.name)" }
    }
}
