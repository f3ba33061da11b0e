/// What one domain may do with a node, as xenstore.txt spells it:
/// 'n' nothing, 'r' read, 'w' write, 'b' both.
public enum StoreAccess: UInt8 {
    case none = 0b00
    case read = 0b01
    case write = 0b10
    case both = 0b11

    public var mayRead: Bool { rawValue & StoreAccess.read.rawValue != 0 }
    public var mayWrite: Bool { rawValue & StoreAccess.write.rawValue != 0 }

    init?(letter: UInt8) {
        switch letter {
        case UInt8(ascii: "n"): self = .none
        case UInt8(ascii: "r"): self = .read
        case UInt8(ascii: "w"): self = .write
        case UInt8(ascii: "b"): self = .both
        default: return nil
        }
    }

    var letter: UInt8 {
        switch self {
        case .none: return UInt8(ascii: "n")
        case .read: return UInt8(ascii: "r")
        case .write: return UInt8(ascii: "w")
        case .both: return UInt8(ascii: "b")
        }
    }
}

/// One entry of a node's permission list: a domain and its access.
public struct StorePermissionEntry: Equatable {
    public let domain: UInt16
    public let access: StoreAccess

    public init(domain: UInt16, access: StoreAccess) {
        self.domain = domain
        self.access = access
    }
}

/// A node's permission list, Xen's way: the first entry names the owner,
/// and its access is what every domain not listed gets; the following
/// entries grant single domains their own access. The owner and dom0 may
/// always read and write.
public struct StorePermissions: Equatable {
    public let entries: [StorePermissionEntry]

    /// A list with at least the owner's entry (the parser guarantees it).
    public init(_ entries: [StorePermissionEntry]) {
        precondition(!entries.isEmpty, "a permission list names its owner")
        self.entries = entries
    }

    /// Owned by `owner`, closed to everyone else.
    public static func ownedBy(_ owner: UInt16) -> StorePermissions {
        StorePermissions([StorePermissionEntry(domain: owner, access: .none)])
    }

    public var owner: UInt16 { entries[0].domain }

    public func access(for domain: UInt16) -> StoreAccess {
        if domain == XenStore.privilegedDomain || domain == owner { return .both }
        for entry in entries.dropFirst() where entry.domain == domain { return entry.access }
        return entries[0].access
    }

    /// The same list with `newOwner` first (keeping the default access):
    /// what a node an unprivileged domain creates gets.
    func withOwner(_ newOwner: UInt16) -> StorePermissions {
        StorePermissions([StorePermissionEntry(domain: newOwner, access: entries[0].access)] + entries.dropFirst())
    }

    /// "r0\0w5\0": each entry as its letter and decimal domid, each ending
    /// in NUL (XS_GET_PERMS's reply).
    public var encoded: [UInt8] {
        var text: [UInt8] = []
        for entry in entries {
            text.append(entry.access.letter)
            text.append(contentsOf: StoreBytes.decimal(entry.domain))
            text.append(0)
        }
        return text
    }

    /// Bytes this list costs to keep (charged to the node's owner).
    var storageSize: Int { entries.count * 4 }

    /// Parses the entries of XS_SET_PERMS ("b0", "r5", ...); EINVAL for an
    /// empty list, a bad letter or a domid out of range.
    public static func parse(_ parts: ArraySlice<ArraySlice<UInt8>>) throws(StoreError) -> StorePermissions {
        guard !parts.isEmpty, parts.count <= maximumEntries else { throw .invalidArgument }
        var entries: [StorePermissionEntry] = []
        for part in parts {
            guard let letter = part.first, let access = StoreAccess(letter: letter),
                  let domain = StoreBytes.parseDecimal(part.dropFirst(), as: UInt16.self) else { throw .invalidArgument }
            entries.append(StorePermissionEntry(domain: domain, access: access))
        }
        return StorePermissions(entries)
    }

    /// More entries than any real use, few enough that a list stays small.
    static let maximumEntries = 64
}
