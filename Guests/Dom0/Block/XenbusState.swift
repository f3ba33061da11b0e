import XenPublic

/// One end's state of a split device (enum xenbus_state), as each end
/// writes it in its own "state" node.
enum XenbusState: UInt32 {
    case unknown = 0
    case initialising = 1
    case initWait = 2
    case initialised = 3
    case connected = 4
    case closing = 5
    case closed = 6
    case reconfiguring = 7
    case reconfigured = 8

    /// The state a node's text says: a missing node, or one that is no
    /// decimal state number, is Unknown (as Linux's xenbus reads it).
    init(nodeText: [UInt8]?) {
        self = BlockNodeText.decimal(nodeText).flatMap { XenbusState(rawValue: $0) } ?? .unknown
    }

    /// What the backend writes in its state node.
    var nodeText: String { "\(rawValue)" }
}
