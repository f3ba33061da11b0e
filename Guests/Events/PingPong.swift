import GuestSupport
import XenPublic

/// Two domains, ping and pong, send each other events over one interdomain
/// channel, R round trips. Without a XenStore to publish a port number in,
/// they follow a fixed protocol:
///
/// 1. pong opens an unbound port for ping (EVTCHNOP_alloc_unbound). It is
///    the first port pong opens, and a domain's first port is always 1
///    (port 0 is reserved, and the hypervisor hands out the lowest free
///    port: Kernel/Core/Events/EventChannelTable.freePort), so ping knows
///    it without being told. Pong checks that it got 1.
/// 2. ping connects to port 1 of pong (EVTCHNOP_bind_interdomain). Until
///    pong has opened it, that is -EINVAL (the port is not waiting for
///    ping): ping yields and tries again, for up to `connectTimeout`.
///    The hypervisor makes ping's new port pending at once (events sent to
///    an unbound port are dropped, so a new connection always says "look");
///    ping takes that event first, so that it is not taken for a reply.
/// 3. Each round: ping sends, pong waits for the event and sends back, ping
///    waits for that. The events alternate, so none may merge with
///    another: each wait must end with exactly one more event.
///
/// Ping waits through the upcall (`sti; hlt` until the handler has counted
/// the event); pong too, or, with `usePoll`, with SCHEDOP_poll on its port
/// and no upcall vector at all.
enum PingPong {
    /// The port pong opens for ping: its first.
    static let pongPort: evtchn_port_t = 1
    /// How long ping tries to connect before it gives up (ns).
    static let connectTimeout: UInt64 = 10_000_000_000

    static func ping(peer: DomainID, rounds: UInt64) -> Bool {
        do throws(HypercallFailure) {
            try Upcall.install()
            guard let port = try connect(to: peer) else { return false }
            // The event the connection itself raised (step 2).
            var seen = Upcall.wait(for: port, beyond: 0)
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

    static func pong(peer: DomainID, rounds: UInt64, usePoll: Bool) -> Bool {
        do throws(HypercallFailure) {
            let page = try SharedInfoView.map()
            if !usePoll { try Upcall.install() }
            let port = try EventChannelOp.allocateUnbound(remoteDomain: peer)
            guard port == pongPort else {
                print("events: pong: my first port is \(port), not \(pongPort): ping cannot find it: FAIL")
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
            return true
        } catch {
            print("events: pong: \(error.name) (\(error.result)): FAIL")
            return false
        }
    }

    /// Step 2: ping's port, connected to pong's; nil (said why) if pong
    /// did not open its port in time.
    private static func connect(to peer: DomainID) throws(HypercallFailure) -> evtchn_port_t? {
        let deadline = SystemTimeReader.now() + connectTimeout
        var tries = 1
        while true {
            do {
                let port = try EventChannelOp.bindInterdomain(remoteDomain: peer, remotePort: pongPort)
                print("events: ping: port \(port) connected to d\(peer) port \(pongPort) (try \(tries))")
                return port
            } catch where error.errno == XEN_EINVAL {
                guard SystemTimeReader.now() < deadline else {
                    print("events: ping: d\(peer) did not open port \(pongPort) in \(connectTimeout / 1_000_000_000) s: FAIL")
                    return nil
                }
                tries += 1
                try SchedOp.yield()
            }
        }
    }
}
