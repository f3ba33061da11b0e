/// A checked, absolute node path: "/" or "/a/b", as bytes.
///
/// Xen's rules (docs/misc/xenstore.txt): a path is made of the characters
/// A-Z a-z 0-9 and - / _ @; it has no empty component ("//"), no trailing
/// "/" except the root itself. A path that does not start with "/" is
/// relative to the caller's home, /local/domain/<domid>. Absolute paths
/// are at most XENSTORE_ABS_PATH_MAX bytes, relative ones at most
/// XENSTORE_REL_PATH_MAX. Anything else is EINVAL.
///
/// Paths starting with "@" name the special watches, not nodes: they are
/// handled by `StoreWatch`, and `resolve` refuses them.
public struct StorePath: Hashable, Sendable {
    public let bytes: [UInt8]

    public static let absoluteMaximum = 3072   // XENSTORE_ABS_PATH_MAX
    public static let relativeMaximum = 2048   // XENSTORE_REL_PATH_MAX
    public static let root = StorePath(checked: [UInt8(ascii: "/")])

    init(checked bytes: [UInt8]) { self.bytes = bytes }

    /// The path `raw` means when `domain` sends it.
    public static func resolve(_ raw: ArraySlice<UInt8>, for domain: UInt16) throws(StoreError) -> StorePath {
        guard let first = raw.first else { throw .invalidArgument }
        if first == UInt8(ascii: "/") {
            guard raw.count <= absoluteMaximum, isWellFormed(raw) else { throw .invalidArgument }
            return StorePath(checked: Array(raw))
        }
        guard first != UInt8(ascii: "@"), raw.count <= relativeMaximum else { throw .invalidArgument }
        var absolute = home(of: domain).bytes
        absolute.append(UInt8(ascii: "/"))
        absolute.append(contentsOf: raw)
        guard absolute.count <= absoluteMaximum, isWellFormed(absolute[...]) else { throw .invalidArgument }
        return StorePath(checked: absolute)
    }

    /// /local/domain/<domid>: where a domain's relative paths start, and
    /// what XS_GET_DOMAIN_PATH answers.
    public static func home(of domain: UInt16) -> StorePath {
        StorePath(checked: StoreBytes.of("/local/domain/") + StoreBytes.decimal(domain))
    }

    public var isRoot: Bool { bytes.count == 1 }

    /// The path one level up; the root's parent is nil.
    public var parent: StorePath? {
        guard !isRoot, let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return nil }
        return slash == 0 ? .root : StorePath(checked: Array(bytes[..<slash]))
    }

    /// The last component ("b" of "/a/b"); empty for the root.
    public var name: [UInt8] {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return bytes }
        return Array(bytes[(slash + 1)...])
    }

    /// `self` with one more component.
    public func appending(_ name: [UInt8]) -> StorePath {
        var joined = bytes
        if !isRoot { joined.append(UInt8(ascii: "/")) }
        joined.append(contentsOf: name)
        return StorePath(checked: joined)
    }

    /// Whether `self` is `other` or lies below it ("/a/b" is within "/a",
    /// "/ab" is not).
    public func isWithin(_ other: StorePath) -> Bool {
        if other.isRoot { return true }
        guard bytes.count >= other.bytes.count, bytes.starts(with: other.bytes) else { return false }
        return bytes.count == other.bytes.count || bytes[other.bytes.count] == UInt8(ascii: "/")
    }

    private static func isWellFormed(_ path: ArraySlice<UInt8>) -> Bool {
        guard path.first == UInt8(ascii: "/") else { return false }
        if path.count == 1 { return true }
        guard path.last != UInt8(ascii: "/") else { return false }
        var previous: UInt8 = 0
        for byte in path {
            guard isAllowed(byte), !(byte == UInt8(ascii: "/") && previous == UInt8(ascii: "/")) else { return false }
            previous = byte
        }
        return true
    }

    static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "@"):
            return true
        default:
            return false
        }
    }
}
