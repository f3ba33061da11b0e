/// A change to the tree that watches hear about: `path` was written (or
/// created), or removed with its subtree. `permissions` are the node's
/// (before removal, for a removal): a watcher hears of a change only if
/// it may read the node, so watches leak nothing reads would not.
struct StoreChange {
    let path: StorePath
    let isRemoval: Bool
    let permissions: StorePermissions

    var storageSize: Int { path.bytes.count + permissions.storageSize + 16 }
}
