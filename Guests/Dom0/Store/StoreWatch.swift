/// One watch a connection set with XS_WATCH.
///
/// A watch on a node path fires for a change at that path or below it,
/// and for the removal of a node above it (the watched node went with it).
/// The event names the path as the watcher wrote it: relative when the
/// watch was set with a relative path. "@introduceDomain" and
/// "@releaseDomain" are the special watches: they fire when a domain is
/// introduced or released.
struct StoreWatch {
    /// The path as given, for the events and for XS_UNWATCH.
    let givenPath: [UInt8]
    let token: [UInt8]
    let target: Target

    enum Target: Equatable {
        case node(StorePath)
        case introduceDomain
        case releaseDomain
    }

    var isRelative: Bool { givenPath.first != UInt8(ascii: "/") && givenPath.first != UInt8(ascii: "@") }

    var storageSize: Int { 64 + givenPath.count + token.count + 2 * givenPath.count }

    static func target(of raw: ArraySlice<UInt8>, for domain: UInt16) throws(StoreError) -> Target {
        if raw.first == UInt8(ascii: "@") {
            if raw.elementsEqual(StoreBytes.of("@introduceDomain")) { return .introduceDomain }
            if raw.elementsEqual(StoreBytes.of("@releaseDomain")) { return .releaseDomain }
            throw .invalidArgument
        }
        return .node(try StorePath.resolve(raw, for: domain))
    }

    /// The path an event for `change` carries, or nil if this watch does
    /// not hear of it.
    func eventPath(for change: StoreChange, home: StorePath) -> [UInt8]? {
        guard case .node(let watched) = target else { return nil }
        let reported: StorePath
        if change.path.isWithin(watched) {
            reported = change.path
        } else if change.isRemoval && watched.isWithin(change.path) {
            reported = watched
        } else {
            return nil
        }
        guard isRelative, reported.isWithin(home), reported != home else { return reported.bytes }
        return Array(reported.bytes[(home.bytes.count + 1)...])
    }
}
