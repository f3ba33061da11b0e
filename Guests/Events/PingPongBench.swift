import GuestSupport
import XenPublic

/// PingPong's bench mode (`iterations=N batches=M` on both command lines):
/// ping prints two rows in TimingRow's format, which reach the transcript
/// behind "(d1) ":
///
/// - evtchn-ping-pong: one round trip over the interdomain channel (ping
///   sends, the hypervisor switches to pong, pong's wait ends, pong sends
///   back, ping's wait ends), minus an empty loop;
/// - domain-switch: one SCHEDOP_yield of ping while pong is runnable and
///   yields back at once: two domain switches, two yields and one turn of
///   pong's loop (reading its pending bit), minus an empty loop.
///
/// Both sides count the same rounds: TimingRow's warm-up batch and then
/// `batches` of them, each `iterations` round trips. Then pong yields in a
/// loop until ping's last event says stop.
enum PingPongBench {
    /// Round trips both sides make in bench mode.
    static func rounds(_ timing: TimingRow) -> UInt64 {
        timing.iterations * UInt64(timing.batches + 1)
    }

    /// Ping's side, once connected and past the connection's own event:
    /// both rows, then the event that ends pong's yield loop. False if a
    /// round trip saw other than one event.
    static func ping(port: evtchn_port_t, seen start: UInt64, timing: TimingRow) -> Bool {
        var seen = start
        var broken = false
        timing.printConfig()
        let roundTrips = timing.loopValues {
            try? EventChannelOp.send(port)
            let now = Upcall.wait(for: port, beyond: seen)
            if now != seen + 1 { broken = true }
            seen = now
        }
        guard !broken else {
            print("events: ping: a round trip saw more than one event: FAIL")
            return false
        }
        TimingRow.printRow("evtchn-ping-pong", roundTrips,
                           "interdomain event round trip between two domUs (send, poll, send back, upcall)")
        let switches = timing.loopValues { try? SchedOp.yield() }
        do throws(HypercallFailure) { try EventChannelOp.send(port) } catch {
            print("events: ping: the stop event: \(error.name): FAIL")
            return false
        }
        TimingRow.printRow("domain-switch", switches,
                           "yield to another domU that yields back: two domain switches, two yields")
        TimingRow.printEnd()
        return true
    }

    /// Pong's side after its rounds: yield until ping's stop event is
    /// pending (interrupts are off, so no upcall takes it first).
    static func pongYields(port: evtchn_port_t, page: SharedInfoView) throws(HypercallFailure) {
        var yields: UInt64 = 0
        while !page.isPending(port) {
            try SchedOp.yield()
            yields += 1
        }
        page.clearPending(port)
        print("events: pong: \(yields) yields until ping said stop")
    }
}
