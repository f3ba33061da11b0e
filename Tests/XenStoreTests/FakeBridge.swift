import XenStore

/// A bridge with no hypervisor: ring pages are allocated pages, ports are
/// counted, notifications recorded.
final class FakeBridge: StoreDomainBridge {
    var pages: [UInt16: UnsafeMutableRawPointer] = [:]
    var unmapped: [UInt16] = []
    var notifications: [UInt32] = []
    var unbound: [UInt32] = []
    var refuseMapping = false
    var barriers = 0

    func mapRingPage(of domain: UInt16, frame: UInt64) -> UnsafeMutableRawPointer? {
        guard !refuseMapping else { return nil }
        let page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        page.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
        pages[domain] = page
        return page
    }

    func unmapRingPage(_ page: UnsafeMutableRawPointer, of domain: UInt16) { unmapped.append(domain) }
    func bindEventChannel(of domain: UInt16, remotePort: UInt32) -> UInt32? { 100 + UInt32(domain) }
    func unbindEventChannel(_ localPort: UInt32) { unbound.append(localPort) }
    func notify(_ localPort: UInt32) { notifications.append(localPort) }
    /// Set to false to play a dom0 whose memory is nearly gone.
    var roomToGrow = true
    func hasRoomToGrow() -> Bool { roomToGrow }
    func sharedMemoryBarrier() { barriers += 1 }
}
