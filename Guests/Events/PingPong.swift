import GuestSupport
import XenPublic

/// Two domains, ping and pong, send each other events over one interdomain
/// channel, R round trips. They find each other through the XenStore, as
/// Xen's split drivers do:
///
/// 1. pong opens an unbound port for ping (EVTCHNOP_alloc_unbound) and
///    publishes its number in its own store node `data/pong-port`
///    (/local/domain/<pong>/data/pong-port), which it then lets ping read
///    (XS_SET_PERMS: pong owns it, ping may read it; nobody else may).
/// 2. ping reads that node until it is there (ENOENT or EACCES until pong
///    has written it and opened it to ping: ping yields and tries again,
///    for up to `connectTimeout`), and connects to the port
///    (EVTCHNOP_bind_interdomain). The hypervisor makes ping's new port
///    pending at once (events sent to an unbound port are dropped, so a
///    new connection always says "look"); ping takes that event first, so
///    that it is not taken for a reply.
/// 3. Each round: ping sends, pong waits for the event and sends back, ping
///    waits for that. The events alternate, so none may merge with
///    another: each wait must end with exactly one more event.
///
/// Ping waits through the upcall (`sti; hlt` until the handler has counted
/// the event); pong too, or, with `usePoll`, with SCHEDOP_poll on its port
/// and no upcall vector at all.
enum PingPong {
    /// Pong's node for its port, relative to its /local/domain/<id>.
    static let portNode = "data/pong-port"
    /// How long ping tries to connect before it gives up (ns).
    static let connectTimeout: UInt64 = 10_000_000_000

    /// With `bench`, PingPongBench's rows instead of `rounds` round trips.
    static func ping(peer: DomainID, rounds: UInt64, bench: TimingRow? = nil) -> Bool {
        do throws(HypercallFailure) {
            try Upcall.install()
            guard let port = try connect(to: peer) else { return false }
            // The event the connection itself raised (step 2).
            var seen = Upcall.wait(for: port, beyond: 0)
            if let bench { return PingPongBench.ping(port: port, seen: seen, timing: bench) }
            let start = read_tsc()
            for round in 0..<rounds {
                try EventChannelOp.send(port)
                let now = Upcall.wait(for: port, beyond: seen)
                guard now == seen + 1 else {
                    print("events: ping: round \(round + 1): \(now - seen) events where one was sent: FAIL")
                    return false
                }
                seen = now
            }
            let ticks = (read_tsc() &- start) / max(rounds, 1)
            print("events: ping: \(rounds) rounds")
            // The bench row for an interdomain round trip: under --icount, the
            // instructions of both guests and the hypervisor between them.
            print("events: ping: \(ticks) TSC ticks per round trip (instructions under --icount)")
            return true
        } catch {
            print("events: ping: \(error.name) (\(error.result)): FAIL")
            return false
        }
    }

    /// With `bench`, PingPongBench's rounds, then its yield loop.
    static func pong(peer: DomainID, rounds requested: UInt64, usePoll: Bool, bench: TimingRow? = nil) -> Bool {
        let rounds = bench.map(PingPongBench.rounds) ?? requested
        do throws(HypercallFailure) {
            let page = try SharedInfoView.map()
            if !usePoll { try Upcall.install() }
            let port = try EventChannelOp.allocateUnbound(remoteDomain: peer)
            do throws(StoreClientError) {
                try publish(port, for: peer)
            } catch {
                print("events: pong: cannot publish port \(port) in the store: \(error.name): FAIL")
                return false
            }
            print("events: pong: port \(port) waits for d\(peer), waiting with \(usePoll ? "SCHEDOP_poll" : "the upcall")")
            let ports = [port]                  // made once: the poll loop allocates nothing
            var seen: UInt64 = 0
            for _ in 0..<rounds {
                if usePoll {
                    while !page.isPending(port) { try SchedOp.poll(ports: ports) }
                    page.clearPending(port)
                } else {
                    let now = Upcall.wait(for: port, beyond: seen)
                    guard now == seen + 1 else {
                        print("events: pong: \(now - seen) events where one was sent: FAIL")
                        return false
                    }
                    seen = now
                }
                try EventChannelOp.send(port)
            }
            print("events: pong: \(rounds) rounds")
            if bench != nil { try PingPongBench.pongYields(port: port, page: page) }
            return true
        } catch {
            print("events: pong: \(error.name) (\(error.result)): FAIL")
            return false
        }
    }

    /// Step 1's store part: the node, written, then opened to the peer.
    private static func publish(_ port: evtchn_port_t, for peer: DomainID) throws(StoreClientError) {
        let store: StoreClient
        do throws(HypercallFailure) { store = try StoreClient() } catch { throw .store("\(error.name)") }
        try store.publish(portNode, UInt64(port), readableBy: peer)
    }

    /// Step 2: ping's port, connected to pong's; nil (said why) if pong
    /// did not publish its port in time.
    private static func connect(to peer: DomainID) throws(HypercallFailure) -> evtchn_port_t? {
        let store = try StoreClient()
        guard let remotePort = store.waitForNumber(publishedBy: peer, at: portNode, timeout: connectTimeout) else {
            print("events: ping: d\(peer) did not publish \(portNode) in \(connectTimeout / 1_000_000_000) s: FAIL")
            return nil
        }
        let port = try EventChannelOp.bindInterdomain(remoteDomain: peer, remotePort: evtchn_port_t(remotePort))
        print("events: ping: port \(port) connected to d\(peer) port \(remotePort)")
        return port
    }
}
