/// The tree as one request sees it: the committed tree, or, inside a
/// transaction, the committed tree under the transaction's staged nodes.
/// The node operations are written once against this.
struct StoreView {
    let tree: StoreTree
    let transaction: StoreTransaction?
    /// Bytes the transaction may stage; nil for no limit (dom0).
    let stagingLimit: Int?

    func node(at path: StorePath) throws(StoreError) -> StoreNode? {
        guard let transaction else { return tree.node(at: path) }
        if let staged = transaction.staged[path.bytes] { return staged.node }
        try recordGeneration(of: path, in: transaction)
        return tree.node(at: path)
    }

    /// Stores `node` at `path`, or removes it (nil).
    func set(_ path: StorePath, _ node: StoreNode?) throws(StoreError) {
        guard let transaction else {
            tree.set(path, node)
            return
        }
        let current = try self.node(at: path)
        let previousStagedSize = transaction.staged[path.bytes]?.node?.storageSize(at: path) ?? 0
        let newSize = node?.storageSize(at: path) ?? 0
        try chargeStaging(newSize - previousStagedSize + (transaction.staged[path.bytes] == nil ? 16 : 0), in: transaction)
        if transaction.staged[path.bytes] == nil { transaction.stagedOrder.append(path) }
        transaction.staged[path.bytes] = node.map { .present($0) } ?? .removed
        if let current { adjust(&transaction.usageDelta, current, at: path, sign: -1) }
        if let node { adjust(&transaction.usageDelta, node, at: path, sign: 1) }
    }

    /// What `domain` owns as this view sees it.
    func usage(of domain: UInt16) -> StoreUsage {
        tree.usage(of: domain) + (transaction?.usageDelta[domain] ?? StoreUsage())
    }

    /// Keeps `change` for the commit; false when there is no transaction
    /// (the caller fires the watches now).
    func deferChange(_ change: StoreChange) throws(StoreError) -> Bool {
        guard let transaction else { return false }
        try chargeStaging(change.storageSize, in: transaction)
        transaction.changes.append(change)
        return true
    }

    private func recordGeneration(of path: StorePath, in transaction: StoreTransaction) throws(StoreError) {
        guard transaction.generationsSeen[path.bytes] == nil else { return }
        try chargeStaging(path.bytes.count + 24, in: transaction)
        transaction.generationsSeen[path.bytes] = tree.generation(at: path)
    }

    private func chargeStaging(_ bytes: Int, in transaction: StoreTransaction) throws(StoreError) {
        if let stagingLimit, transaction.stagedBytes + bytes > stagingLimit { throw .quotaExceeded }
        transaction.stagedBytes += bytes
    }

    private func adjust(_ deltas: inout [UInt16: StoreUsage], _ node: StoreNode, at path: StorePath, sign: Int) {
        var delta = deltas[node.permissions.owner] ?? StoreUsage()
        delta.nodes += sign
        delta.bytes += sign * node.storageSize(at: path)
        deltas[node.permissions.owner] = delta
    }
}
