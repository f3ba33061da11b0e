/// The node operations: read, write, mkdir, rm, directory, permissions.
///
/// Permissions follow cxenstored: dom0 and a node's owner may do anything
/// with it; anyone else has the access the list gives. Creating a node
/// needs write access to the nearest node that exists above it; the new
/// nodes (missing parents too) copy their parent's list, and when an
/// unprivileged domain creates them it becomes their owner (dom0's nodes
/// keep the parent's owner, so the toolstack can create a domain's nodes
/// under /local/domain/<id> for that domain). A missing node is ENOENT
/// only to a caller who may read the nearest existing node above it,
/// EACCES to others, so that existence does not leak.
extension XenStore {
    func read(_ path: StorePath, by caller: UInt16, in view: StoreView) throws(StoreError) -> [UInt8] {
        let node = try existingNode(path, by: caller, in: view)
        guard node.permissions.access(for: caller).mayRead else { throw .accessDenied }
        return node.value
    }

    func directory(_ path: StorePath, by caller: UInt16, in view: StoreView) throws(StoreError) -> [UInt8] {
        let node = try existingNode(path, by: caller, in: view)
        guard node.permissions.access(for: caller).mayRead else { throw .accessDenied }
        var names: [UInt8] = []
        for child in node.children {
            names.append(contentsOf: child)
            names.append(0)
        }
        guard names.count <= StoreMessage.payloadMaximum else { throw .tooBig }
        return names
    }

    func permissions(_ path: StorePath, by caller: UInt16, in view: StoreView) throws(StoreError) -> StorePermissions {
        let node = try existingNode(path, by: caller, in: view)
        guard node.permissions.access(for: caller).mayRead else { throw .accessDenied }
        return node.permissions
    }

    func write(_ path: StorePath, value: [UInt8], by caller: UInt16, in view: StoreView) throws(StoreError) {
        if !XenStore.isPrivileged(caller) && value.count > quotas.valueBytes { throw .quotaExceeded }
        if var node = try view.node(at: path) {
            guard node.permissions.access(for: caller).mayWrite else { throw .accessDenied }
            let growth = value.count - node.value.count
            node.value = value
            try checkQuota(of: node.permissions.owner, extraNodes: 0, extraBytes: growth, by: caller, in: view)
            try view.set(path, node)
            try changed(StoreChange(path: path, isRemoval: false, permissions: node.permissions), in: view)
        } else {
            try create(path, value: value, by: caller, in: view)
        }
    }

    func makeDirectory(_ path: StorePath, by caller: UInt16, in view: StoreView) throws(StoreError) {
        if let node = try view.node(at: path) {
            // Already there: nothing changes, no watch fires (as in Xen),
            // but a caller who may not write there still hears no.
            guard node.permissions.access(for: caller).mayWrite else { throw .accessDenied }
            return
        }
        try create(path, value: [], by: caller, in: view)
    }

    func remove(_ path: StorePath, by caller: UInt16, in view: StoreView) throws(StoreError) {
        guard !path.isRoot else { throw .invalidArgument }
        guard let node = try view.node(at: path) else {
            // Removing what is not there succeeds if its parent exists
            // (cxenstored), and fails as a read of the parent would.
            if let parent = path.parent { _ = try existingNode(parent, by: caller, in: view) }
            return
        }
        guard node.permissions.access(for: caller).mayWrite else { throw .accessDenied }
        try removeSubtree(path, node, in: view)
        if let parentPath = path.parent, var parent = try view.node(at: parentPath) {
            parent.removeChild(path.name)
            try view.set(parentPath, parent)
        }
        try changed(StoreChange(path: path, isRemoval: true, permissions: node.permissions), in: view)
    }

    /// Only dom0 and the owner may change a list, and an unprivileged
    /// owner may not give the node away (cxenstored: EPERM), which would
    /// move it out of its quota.
    func setPermissions(_ path: StorePath, _ permissions: StorePermissions, by caller: UInt16,
                        in view: StoreView) throws(StoreError) {
        guard var node = try view.node(at: path) else { throw try missing(path, by: caller, in: view) }
        let privileged = XenStore.isPrivileged(caller)
        guard privileged || node.permissions.owner == caller else { throw .accessDenied }
        guard privileged || permissions.owner == caller else { throw .notPermitted }
        let growth = permissions.storageSize - node.permissions.storageSize
        try checkQuota(of: permissions.owner, extraNodes: 0, extraBytes: growth, by: caller, in: view)
        node.permissions = permissions
        try view.set(path, node)
        try changed(StoreChange(path: path, isRemoval: false, permissions: permissions), in: view)
    }

    // MARK: helpers

    private func create(_ path: StorePath, value: [UInt8], by caller: UInt16, in view: StoreView) throws(StoreError) {
        // Walk up to the nearest node that exists; what lies between is created.
        var missingPaths: [StorePath] = [path]
        var ancestorPath = path.parent
        var ancestor: StoreNode? = nil
        while let candidate = ancestorPath {
            if let found = try view.node(at: candidate) {
                ancestor = found
                break
            }
            missingPaths.append(candidate)
            ancestorPath = candidate.parent
        }
        guard var parent = ancestor, var parentPath = ancestorPath else { throw .noEntry }
        guard parent.permissions.access(for: caller).mayWrite else { throw .accessDenied }
        var permissions = parent.permissions
        if !XenStore.isPrivileged(caller) { permissions = permissions.withOwner(caller) }

        var bytes = 0
        for missingPath in missingPaths {
            bytes += StoreNode.overhead + missingPath.bytes.count + permissions.storageSize
                + missingPath.name.count + StoreNode.childOverhead
        }
        try checkQuota(of: permissions.owner, extraNodes: missingPaths.count, extraBytes: bytes + value.count,
                       by: caller, in: view)

        for newPath in missingPaths.reversed() {
            parent.addChild(newPath.name)
            try view.set(parentPath, parent)
            parent = StoreNode(value: newPath == path ? value : [], permissions: permissions)
            parentPath = newPath
        }
        try view.set(path, parent)
        try changed(StoreChange(path: path, isRemoval: false, permissions: permissions), in: view)
    }

    private func removeSubtree(_ path: StorePath, _ node: StoreNode, in view: StoreView) throws(StoreError) {
        for child in node.children {
            let childPath = path.appending(child)
            if let childNode = try view.node(at: childPath) { try removeSubtree(childPath, childNode, in: view) }
        }
        try view.set(path, nil)
    }

    func existingNode(_ path: StorePath, by caller: UInt16, in view: StoreView) throws(StoreError) -> StoreNode {
        guard let node = try view.node(at: path) else { throw try missing(path, by: caller, in: view) }
        return node
    }

    /// ENOENT or EACCES for a missing `path`, see above.
    private func missing(_ path: StorePath, by caller: UInt16, in view: StoreView) throws(StoreError) -> StoreError {
        var above = path.parent
        while let candidate = above {
            if let node = try view.node(at: candidate) {
                return node.permissions.access(for: caller).mayRead ? .noEntry : .accessDenied
            }
            above = candidate.parent
        }
        return .noEntry
    }

    /// ENOSPC if `owner` would pass its node or byte quota, checked only
    /// for an unprivileged caller (dom0 is never refused for quota).
    private func checkQuota(of owner: UInt16, extraNodes: Int, extraBytes: Int, by caller: UInt16,
                            in view: StoreView) throws(StoreError) {
        guard !XenStore.isPrivileged(caller), !XenStore.isPrivileged(owner) else { return }
        let usage = view.usage(of: owner)
        if extraNodes > 0 && usage.nodes + extraNodes > quotas.nodesPerDomain { throw .quotaExceeded }
        if extraBytes > 0 && usage.bytes + extraBytes + (watchBytes[owner] ?? 0) > quotas.bytesPerDomain {
            throw .quotaExceeded
        }
    }

    /// Fires the watches now, or at commit inside a transaction.
    private func changed(_ change: StoreChange, in view: StoreView) throws(StoreError) {
        if try view.deferChange(change) { return }
        fireWatches(for: change)
    }
}
