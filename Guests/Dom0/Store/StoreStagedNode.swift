/// What a transaction will do to one path at commit.
enum StoreStagedNode {
    case present(StoreNode)
    case removed

    var node: StoreNode? {
        if case .present(let node) = self { return node }
        return nil
    }
}
