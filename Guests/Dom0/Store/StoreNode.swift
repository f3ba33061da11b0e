/// One node of the store: a value, a permission list, and the names of its
/// children (kept sorted, so XS_DIRECTORY answers in a stable order).
///
/// `generation` changes on every write of the node, including a change of
/// its children: a transaction compares it at commit with what it saw.
public struct StoreNode {
    public var value: [UInt8]
    public var permissions: StorePermissions
    public var children: [[UInt8]]
    var generation: UInt64 = 0

    public init(value: [UInt8], permissions: StorePermissions, children: [[UInt8]] = []) {
        self.value = value
        self.permissions = permissions
        self.children = children
    }

    /// Bytes this node at `path` costs its owner: its path, value, child
    /// names and permissions, plus a fixed amount for the bookkeeping.
    func storageSize(at path: StorePath) -> Int {
        var size = StoreNode.overhead + path.bytes.count + value.count + permissions.storageSize
        for child in children { size += child.count + StoreNode.childOverhead }
        return size
    }

    static let overhead = 64
    static let childOverhead = 16

    mutating func addChild(_ name: [UInt8]) {
        var low = 0
        var high = children.count
        while low < high {
            let middle = (low + high) / 2
            if StoreBytes.precedes(children[middle], name) { low = middle + 1 } else { high = middle }
        }
        if low < children.count && children[low] == name { return }
        children.insert(name, at: low)
    }

    mutating func removeChild(_ name: [UInt8]) {
        if let index = children.firstIndex(of: name) { children.remove(at: index) }
    }
}
