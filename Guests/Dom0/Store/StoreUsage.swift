/// What a domain holds in the store, for its quotas: nodes it owns and the
/// bytes they cost, watches it has set.
public struct StoreUsage: Equatable {
    public var nodes = 0
    public var bytes = 0

    public init(nodes: Int = 0, bytes: Int = 0) {
        self.nodes = nodes
        self.bytes = bytes
    }

    static func + (a: StoreUsage, b: StoreUsage) -> StoreUsage {
        StoreUsage(nodes: a.nodes + b.nodes, bytes: a.bytes + b.bytes)
    }
}
