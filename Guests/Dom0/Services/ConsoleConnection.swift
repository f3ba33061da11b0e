import GuestSupport
import XenPublic

/// Dom0's end of one domain's PV console (xencons_interface, xen_console.h):
/// the page mapped in a ServicePageWindow slot and dom0's end of the
/// console event channel. When the port fires, `service` takes what the
/// domain wrote to `out` and prints it line by line, each line after the
/// domain's label; `forward` puts typed bytes into its `in` ring.
///
/// The indices are the domain's to write and are not trusted: more than a
/// ring's worth between consumer and producer means the domain broke the
/// protocol; its console is then no longer read (and said so once), and
/// nothing else changes.
final class ConsoleConnection {
    let domain: DomainID
    let label: String
    let page: UnsafeMutableRawPointer
    let localPort: evtchn_port_t
    /// The line being built; printed at a newline or when it reaches
    /// `maximumLine` bytes, so a domain that never ends a line cannot make
    /// dom0 hold more.
    private var line: [UInt8] = []
    static let maximumLine = 200
    private(set) var isBroken = false
    /// Bytes taken from the domain's output ring.
    private(set) var bytesRead: UInt64 = 0

    init(domain: DomainID, label: String, page: UnsafeMutableRawPointer, localPort: evtchn_port_t) {
        self.domain = domain
        self.label = label
        self.page = page
        self.localPort = localPort
    }

    private var interface: UnsafeMutablePointer<xencons_interface> {
        page.assumingMemoryBound(to: xencons_interface.self)
    }

    /// Reads the output ring dry; notifies the domain if it made room.
    func service() {
        guard !isBroken else { return }
        let consumer = interface.pointee.out_cons
        let producer = interface.pointee.out_prod
        shared_memory_barrier()
        let available = producer &- consumer
        guard available <= UInt32(XENCONS_OUT_RING_SIZE) else {
            isBroken = true
            print("dom0: console of \(label): its ring indices are \(available) bytes apart, more than the ring holds: no longer read")
            return
        }
        guard available > 0 else { return }
        let ring = page.advanced(by: MemoryLayout<xencons_interface>.offset(of: \xencons_interface.out)!)
            .assumingMemoryBound(to: UInt8.self)
        var index = consumer
        while index != producer {
            take(ring[Int(index & UInt32(XENCONS_OUT_RING_SIZE - 1))])
            index &+= 1
        }
        bytesRead += UInt64(available)
        shared_memory_barrier()
        interface.pointee.out_cons = producer
        try? EventChannelOp.send(localPort)
    }

    /// Puts `bytes` into the domain's input ring, as far as it has room.
    func forward(_ bytes: ArraySlice<UInt8>) {
        guard !isBroken, !bytes.isEmpty else { return }
        let consumer = interface.pointee.in_cons
        var producer = interface.pointee.in_prod
        shared_memory_barrier()
        let used = producer &- consumer
        guard used <= UInt32(XENCONS_IN_RING_SIZE) else { return }
        let ring = page.assumingMemoryBound(to: UInt8.self)     // `in` is at offset 0
        for byte in bytes where producer &- consumer < UInt32(XENCONS_IN_RING_SIZE) {
            ring[Int(producer & UInt32(XENCONS_IN_RING_SIZE - 1))] = byte
            producer &+= 1
        }
        shared_memory_barrier()
        interface.pointee.in_prod = producer
        try? EventChannelOp.send(localPort)
    }

    /// Prints what is left of the last line (the domain has ended).
    func flush() {
        if !line.isEmpty { printLine() }
    }

    private func take(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\n"): printLine()
        case UInt8(ascii: "\r"): break
        default:
            // Control bytes would let a domain forge the terminal's state.
            line.append((byte >= 0x20 && byte < 0x7F) || byte == 0x09 ? byte : UInt8(ascii: "?"))
            if line.count >= Self.maximumLine { printLine() }
        }
    }

    private func printLine() {
        print("[\(label)] " + String(decoding: line, as: UTF8.self))
        line.removeAll(keepingCapacity: true)
    }
}
