/// Transactions: XS_TRANSACTION_START and XS_TRANSACTION_END (see
/// `StoreTransaction` for the model).
extension XenStore {
    func startTransaction(for connection: StoreConnection) throws(StoreError) -> UInt32 {
        if !XenStore.isPrivileged(connection.domain) {
            guard connection.transactions.count < quotas.transactionsPerDomain else { throw .quotaExceeded }
        }
        // Ids are never 0 (that means "no transaction") and not reused
        // while open.
        repeat {
            lastTransactionID &+= 1
        } while lastTransactionID == 0 || connection.transactions[lastTransactionID] != nil
        connection.transactions[lastTransactionID] = StoreTransaction(id: lastTransactionID, domain: connection.domain)
        return lastTransactionID
    }

    /// Commits (`commit`) or aborts the transaction; it is closed either
    /// way. EAGAIN when a path it used changed since it first looked.
    func endTransaction(_ id: UInt32, commit: Bool, for connection: StoreConnection) throws(StoreError) {
        guard let transaction = connection.transactions.removeValue(forKey: id) else { throw .noEntry }
        guard commit else { return }
        for (path, generation) in transaction.generationsSeen {
            guard tree.generation(at: StorePath(checked: path)) == generation else { throw .tryAgain }
        }
        for path in transaction.stagedOrder {
            tree.set(path, transaction.staged[path.bytes]?.node)
        }
        for change in transaction.changes { fireWatches(for: change) }
    }

    /// The view a request with `transactionID` works in; ENOENT for an id
    /// this connection does not have open.
    func view(for transactionID: UInt32, of connection: StoreConnection) throws(StoreError) -> StoreView {
        let limit = XenStore.isPrivileged(connection.domain) ? nil : quotas.bytesPerTransaction
        guard transactionID != 0 else { return StoreView(tree: tree, transaction: nil, stagingLimit: limit) }
        guard let transaction = connection.transactions[transactionID] else { throw .noEntry }
        return StoreView(tree: tree, transaction: transaction, stagingLimit: limit)
    }
}
