import GuestSupport
import XenPublic

/// The XenStore's way to the domains (StoreDomainBridge), with dom0's
/// hypercalls: a domain's ring page mapped into a ServicePageWindow slot,
/// its store event channel bound as an interdomain channel of dom0's.
final class Dom0StoreBridge: StoreDomainBridge {
    let window: ServicePageWindow

    init(window: ServicePageWindow) {
        self.window = window
    }

    func mapRingPage(of domain: UInt16, frame: UInt64) -> UnsafeMutableRawPointer? {
        do throws(HypercallFailure) {
            return try window.map(DomainID(domain), frame: frame)
        } catch {
            print("dom0: store: cannot map d\(domain)'s ring page \(hex(frame, digits: 1)): \(error.name) (\(error.result))")
            return nil
        }
    }

    func unmapRingPage(_ page: UnsafeMutableRawPointer, of domain: UInt16) {
        window.unmap(page)
    }

    func bindEventChannel(of domain: UInt16, remotePort: UInt32) -> UInt32? {
        do throws(HypercallFailure) {
            return try EventChannelOp.bindInterdomain(remoteDomain: DomainID(domain), remotePort: remotePort)
        } catch {
            print("dom0: store: cannot bind d\(domain)'s port \(remotePort): \(error.name) (\(error.result))")
            return nil
        }
    }

    func unbindEventChannel(_ localPort: UInt32) {
        try? EventChannelOp.close(localPort)
    }

    func notify(_ localPort: UInt32) {
        try? EventChannelOp.send(localPort)
    }

    func sharedMemoryBarrier() {
        shared_memory_barrier()
    }

    /// What dom0's heap keeps back for everything but the domains' store
    /// requests: its own work (building, serving consoles, the replies).
    static let heapReserve = 2 * 1024 * 1024

    func hasRoomToGrow() -> Bool {
        GuestHeap.heap.bytesFree >= Self.heapReserve
    }
}
