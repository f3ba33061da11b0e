import GuestSupport
import XenPublic

/// This domain's end of its PV console (xencons_interface, xen_console.h):
/// the page and event channel the toolstack gave it
/// (HVM_PARAM_CONSOLE_PFN / HVM_PARAM_CONSOLE_EVTCHN), whose other end is
/// dom0's console backend, as Linux's hvc0 uses it. Output goes into the
/// `out` ring; when the ring is full, the domain waits for the backend to
/// make room (SCHEDOP_poll on the port).
final class ConsoleRing {
    private let interface: UnsafeMutablePointer<xencons_interface>
    private let port: evtchn_port_t
    private let page: SharedInfoView
    private let pollList: [evtchn_port_t]

    /// The console the toolstack set up; throws -ENOENT if there is none.
    init() throws(HypercallFailure) {
        let frame = try HVMParameters.get(UInt32(HVM_PARAM_CONSOLE_PFN))
        let port = try HVMParameters.get(UInt32(HVM_PARAM_CONSOLE_EVTCHN))
        // GuestKit identity-maps the first 1 GiB; the page is one of this
        // domain's own frames, just after its RAM.
        guard frame != 0, frame < (1 << 18), port != 0 else { throw HypercallFailure(errno: XEN_ENOENT) }
        interface = UnsafeMutablePointer(bitPattern: UInt(frame << 12))!
        self.port = evtchn_port_t(port)
        page = try SharedInfoView.map()
        pollList = [self.port]
    }

    /// Writes `text` and a newline.
    func printLine(_ text: String) {
        write(Array(text.utf8) + [UInt8(ascii: "\n")])
    }

    func write(_ bytes: [UInt8]) {
        let ring = UnsafeMutableRawPointer(interface)
            .advanced(by: MemoryLayout<xencons_interface>.offset(of: \xencons_interface.out)!)
            .assumingMemoryBound(to: UInt8.self)
        let size = UInt32(XENCONS_OUT_RING_SIZE)
        var sent = 0
        while sent < bytes.count {
            let consumer = interface.pointee.out_cons
            var producer = interface.pointee.out_prod
            shared_memory_barrier()
            if producer &- consumer >= size {
                waitForRoom()
                continue
            }
            while sent < bytes.count && producer &- consumer < size {
                ring[Int(producer & (size - 1))] = bytes[sent]
                producer &+= 1
                sent += 1
            }
            shared_memory_barrier()
            interface.pointee.out_prod = producer
            try? EventChannelOp.send(port)
        }
    }

    private func waitForRoom() {
        page.waitForEvent(on: port, pollList: pollList)
    }
}
