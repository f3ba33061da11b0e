/// Why the backend closed a vbd without (or after) serving it: the
/// frontend's doing, reported in the backend's "error" node and dom0's log.
enum BlockFrontendProblem: Error, Equatable {
    case badRingReference
    case badEventChannel
    case unsupportedProtocol
    case multiPageRing
    case multipleQueues
    /// Dom0 could not map the ring or bind the port (the hypervisor said no).
    case cannotConnect
    /// req_prod ran more than a ring ahead of the responses.
    case brokenRing

    var message: String {
        switch self {
        case .badRingReference: return "ring-ref missing or not a number"
        case .badEventChannel: return "event-channel missing or not a port"
        case .unsupportedProtocol: return "protocol is not x86_64-abi"
        case .multiPageRing: return "ring-page-order not offered"
        case .multipleQueues: return "multi-queue-num-queues not offered"
        case .cannotConnect: return "cannot map the ring or bind the event channel"
        case .brokenRing: return "broken ring: req_prod too far ahead"
        }
    }
}
