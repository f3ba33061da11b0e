/// The committed tree: every node by its absolute path (so a lookup is one
/// hash, as in cxenstored's database), plus each domain's usage.
///
/// Only `set` changes it, so usage and generations stay right.
public final class StoreTree {
    private var nodes: [[UInt8]: StoreNode] = [:]
    private var usageByDomain: [UInt16: StoreUsage] = [:]
    private var lastGeneration: UInt64 = 0

    /// A tree with only the root, owned by dom0 and closed to others
    /// (cxenstored starts so too).
    public init() {
        set(.root, StoreNode(value: [], permissions: .ownedBy(XenStore.privilegedDomain)))
    }

    public func node(at path: StorePath) -> StoreNode? { nodes[path.bytes] }

    /// The generation a transaction records for `path`: 0 for no node.
    func generation(at path: StorePath) -> UInt64 { nodes[path.bytes]?.generation ?? 0 }

    public func usage(of domain: UInt16) -> StoreUsage { usageByDomain[domain] ?? StoreUsage() }

    public var nodeCount: Int { nodes.count }

    /// Stores `node` at `path` (nil removes it), with a new generation,
    /// moving the usage between owners.
    func set(_ path: StorePath, _ node: StoreNode?) {
        if let old = nodes[path.bytes] { charge(old, at: path, sign: -1) }
        guard var node else {
            nodes[path.bytes] = nil
            return
        }
        lastGeneration += 1
        node.generation = lastGeneration
        charge(node, at: path, sign: 1)
        nodes[path.bytes] = node
    }

    private func charge(_ node: StoreNode, at path: StorePath, sign: Int) {
        var usage = usageByDomain[node.permissions.owner] ?? StoreUsage()
        usage.nodes += sign
        usage.bytes += sign * node.storageSize(at: path)
        usageByDomain[node.permissions.owner] = usage.nodes == 0 && usage.bytes == 0 ? nil : usage
    }
}
