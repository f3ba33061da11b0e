import XenPublic

/// One message of the wire protocol: a `struct xsd_sockmsg` header and its
/// payload.
public struct StoreMessage: Equatable {
    public var type: UInt32
    public var requestID: UInt32
    public var transactionID: UInt32
    public var payload: [UInt8]

    public static let headerSize = 16
    public static let payloadMaximum = Int(XENSTORE_PAYLOAD_MAX)

    public init(type: UInt32, requestID: UInt32 = 0, transactionID: UInt32 = 0, payload: [UInt8]) {
        self.type = type
        self.requestID = requestID
        self.transactionID = transactionID
        self.payload = payload
    }

    /// The reply to `request` with `payload`: same type and ids.
    static func reply(to request: StoreMessage, _ payload: [UInt8]) -> StoreMessage {
        StoreMessage(type: request.type, requestID: request.requestID, transactionID: request.transactionID, payload: payload)
    }

    static func error(_ error: StoreError, for request: StoreMessage) -> StoreMessage {
        StoreMessage(type: XS_ERROR.rawValue, requestID: request.requestID, transactionID: request.transactionID,
                     payload: StoreBytes.of(error.wireName) + [0])
    }

    /// The header and payload as they go on the ring (little-endian).
    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(StoreMessage.headerSize + payload.count)
        for field in [type, requestID, transactionID, UInt32(payload.count)] {
            bytes.append(contentsOf: [UInt8(truncatingIfNeeded: field), UInt8(truncatingIfNeeded: field >> 8),
                                      UInt8(truncatingIfNeeded: field >> 16), UInt8(truncatingIfNeeded: field >> 24)])
        }
        bytes.append(contentsOf: payload)
        return bytes
    }

    /// The four header fields of `bytes` (at least 16): type, req_id,
    /// tx_id, len.
    static func header(of bytes: [UInt8]) -> (type: UInt32, requestID: UInt32, transactionID: UInt32, length: UInt32) {
        func field(_ index: Int) -> UInt32 {
            UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24
        }
        return (field(0), field(4), field(8), field(12))
    }
}
