/// The XenStore daemon's core: the tree, the clients, their watches and
/// transactions, and the requests of Xen's wire protocol
/// (docs/misc/xenstore.txt). It maps no page and sends no event itself:
/// it reaches domains through a `StoreDomainBridge`.
///
/// Dom0's event loop calls `service(_:)` for a connection whose event
/// channel fired; dom0's own code talks to the store through a local
/// connection (`openLocalConnection`) and `handle(_:from:)`.
///
/// Not thread-safe: one event loop drives it.
public final class XenStore {
    /// Domain 0 reads and writes everything and has no quotas.
    public static let privilegedDomain: UInt16 = 0

    public let tree = StoreTree()
    public let quotas: StoreQuotas
    let bridge: StoreDomainBridge
    /// Domains' connections by domid (one each), and dom0's local ones.
    var domainConnections: [UInt16: StoreConnection] = [:]
    var localConnections: [StoreConnection] = []
    /// Bytes of watches each unprivileged domain holds (its nodes are in
    /// the tree's usage).
    var watchBytes: [UInt16: Int] = [:]
    var lastTransactionID: UInt32 = 0

    public init(bridge: StoreDomainBridge, quotas: StoreQuotas = StoreQuotas()) {
        self.bridge = bridge
        self.quotas = quotas
    }

    /// A client inside dom0 (the toolstack, a backend). Its replies and
    /// watch events wait in the connection: `takeMessages()`.
    public func openLocalConnection() -> StoreConnection {
        let connection = StoreConnection(domain: XenStore.privilegedDomain, ring: nil)
        localConnections.append(connection)
        return connection
    }

    public func closeLocalConnection(_ connection: StoreConnection) {
        if let index = localConnections.firstIndex(where: { $0 === connection }) { localConnections.remove(at: index) }
    }

    /// The connection of an introduced domain.
    public func connection(of domain: UInt16) -> StoreConnection? { domainConnections[domain] }

    /// The connection whose event channel is `localPort` (what the event
    /// loop has when a port fires).
    public func connection(atLocalPort localPort: UInt32) -> StoreConnection? {
        for (_, connection) in domainConnections where connection.localPort == localPort { return connection }
        return nil
    }

    var allConnections: [StoreConnection] {
        var all = localConnections
        for (_, connection) in domainConnections { all.append(connection) }
        return all
    }

    static func isPrivileged(_ domain: UInt16) -> Bool { domain == privilegedDomain }

    /// Puts `message` in `connection`'s output.
    func send(_ message: StoreMessage, to connection: StoreConnection) {
        connection.output.append(message.encoded)
    }
}
