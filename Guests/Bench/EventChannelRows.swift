import GuestSupport
import XenPublic

/// The event-channel rows: raising an event on the guest's own IPI port,
/// first without an upcall (the guest clears the bits itself, as a guest
/// that polls does), then with the upcall delivered and taken.
enum EventChannelRows {
    static func run(_ timing: TimingRow) {
        do throws(HypercallFailure) {
            let page = try SharedInfoView.map()
            let port = try EventChannelOp.bindInterProcessor()
            // No callback vector yet: the send sets the port's bit, the
            // selector bit and evtchn_upcall_pending, and that is all.
            // Clearing all three as the handler would makes every send take
            // that whole path, not stop at a bit that is still set.
            TimingRow.printRow("evtchn-send-self", timing.loopValues {
                try? EventChannelOp.send(port)
                page.acknowledgeUpcall { _ in }
            }, "EVTCHNOP_send to an own IPI port, no upcall (the guest clears the bits)")
            // With the vector: the send, the injection at the next entry,
            // the handler (UpcallEntry.S and Upcall.handle), and IRETQ.
            try Upcall.install()
            TimingRow.printRow("evtchn-upcall-self", timing.loopValues {
                let before = Upcall.count(of: port)
                cpu_enable_interrupts()
                try? EventChannelOp.send(port)
                while Upcall.count(of: port) == before {}
                cpu_disable_interrupts()
            }, "EVTCHNOP_send to an own IPI port, the upcall delivered and handled")
            try Upcall.remove()
            try EventChannelOp.close(port)
        } catch {
            TimingRow.skip("evtchn-send-self", "\(error.name) (\(error.result))")
            TimingRow.skip("evtchn-upcall-self", "\(error.name) (\(error.result))")
        }
    }
}
