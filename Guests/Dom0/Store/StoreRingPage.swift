import XenPublic

/// The shared page of a domain's store connection (`struct
/// xenstore_domain_interface`), seen through a raw pointer so the host
/// tests can hand it a page they allocated.
///
/// Every field is read and written with single aligned 32-bit loads and
/// stores, and the guest may change its fields (req_prod, rsp_cons) at any
/// moment: so each index is read once per pass and checked before use
/// (a producer more than a ring ahead of its consumer is a broken guest),
/// never trusted twice.
public struct StoreRingPage {
    public let base: UnsafeMutableRawPointer

    public init(_ base: UnsafeMutableRawPointer) { self.base = base }

    public static let ringSize = UInt32(XENSTORE_RING_SIZE)
    static let requestOffset = 0
    static let responseOffset = Int(XENSTORE_RING_SIZE)
    static let requestConsumerOffset = 2048
    static let requestProducerOffset = 2052
    static let responseConsumerOffset = 2056
    static let responseProducerOffset = 2060
    static let serverFeaturesOffset = 2064
    static let connectionOffset = 2068
    static let errorOffset = 2072

    var requestConsumer: UInt32 {
        get { load(StoreRingPage.requestConsumerOffset) }
        nonmutating set { store(newValue, StoreRingPage.requestConsumerOffset) }
    }
    var requestProducer: UInt32 { load(StoreRingPage.requestProducerOffset) }
    var responseConsumer: UInt32 { load(StoreRingPage.responseConsumerOffset) }
    var responseProducer: UInt32 {
        get { load(StoreRingPage.responseProducerOffset) }
        nonmutating set { store(newValue, StoreRingPage.responseProducerOffset) }
    }
    var error: UInt32 {
        get { load(StoreRingPage.errorOffset) }
        nonmutating set { store(newValue, StoreRingPage.errorOffset) }
    }
    var serverFeatures: UInt32 {
        get { load(StoreRingPage.serverFeaturesOffset) }
        nonmutating set { store(newValue, StoreRingPage.serverFeaturesOffset) }
    }

    /// Copies `count` bytes of the request ring starting at free-running
    /// index `index`, across the wrap.
    func readRequests(at index: UInt32, count: Int, into buffer: inout [UInt8]) {
        for offset in 0..<count {
            let position = Int((index &+ UInt32(offset)) & (StoreRingPage.ringSize - 1))
            buffer.append(base.load(fromByteOffset: StoreRingPage.requestOffset + position, as: UInt8.self))
        }
    }

    /// Writes `bytes` into the response ring from free-running index
    /// `index`, across the wrap.
    func writeResponses(_ bytes: ArraySlice<UInt8>, at index: UInt32) {
        var offset: UInt32 = 0
        for byte in bytes {
            let position = Int((index &+ offset) & (StoreRingPage.ringSize - 1))
            base.storeBytes(of: byte, toByteOffset: StoreRingPage.responseOffset + position, as: UInt8.self)
            offset &+= 1
        }
    }

    private func load(_ offset: Int) -> UInt32 { base.load(fromByteOffset: offset, as: UInt32.self) }
    private func store(_ value: UInt32, _ offset: Int) { base.storeBytes(of: value, toByteOffset: offset, as: UInt32.self) }
}
