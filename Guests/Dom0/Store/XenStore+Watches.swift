import XenPublic

/// Watches: XS_WATCH, XS_UNWATCH, XS_RESET_WATCHES, and the events.
///
/// As in Xen, a new watch fires once right after its reply (so the client reads the
/// current state without a race), each change fires every watch at or
/// above it, and a removal also fires the watches below it. A watcher
/// hears only of nodes it may read. The special watches fire only for
/// dom0: Xen gives their nodes to dom0 with no access for others, so a
/// domU may set one but never hears it.
extension XenStore {
    func addWatch(_ rawPath: ArraySlice<UInt8>, token: ArraySlice<UInt8>, for connection: StoreConnection) throws(StoreError) {
        let target = try StoreWatch.target(of: rawPath, for: connection.domain)
        let watch = StoreWatch(givenPath: Array(rawPath), token: Array(token), target: target)
        guard !connection.watches.contains(where: { $0.givenPath == watch.givenPath && $0.token == watch.token }) else {
            throw .alreadyExists
        }
        let domain = connection.domain
        if !XenStore.isPrivileged(domain) {
            guard connection.watches.count < quotas.watchesPerDomain else { throw .tooBig }
            let bytes = (watchBytes[domain] ?? 0) + watch.storageSize
            guard tree.usage(of: domain).bytes + bytes <= quotas.bytesPerDomain else { throw .quotaExceeded }
            watchBytes[domain] = bytes
        }
        connection.watches.append(watch)
    }

    /// The event a new watch fires at once; sent after the XS_WATCH reply,
    /// as cxenstored does.
    func fireNewWatch(of connection: StoreConnection) {
        guard let watch = connection.watches.last else { return }
        queueEvent(path: watch.givenPath, token: watch.token, to: connection)
    }

    func removeWatch(_ rawPath: ArraySlice<UInt8>, token: ArraySlice<UInt8>, for connection: StoreConnection) throws(StoreError) {
        guard let index = connection.watches.firstIndex(where: {
            $0.givenPath.elementsEqual(rawPath) && $0.token.elementsEqual(token)
        }) else { throw .noEntry }
        forget(connection.watches.remove(at: index), of: connection.domain)
    }

    func removeAllWatches(of connection: StoreConnection) {
        for watch in connection.watches { forget(watch, of: connection.domain) }
        connection.watches = []
    }

    private func forget(_ watch: StoreWatch, of domain: UInt16) {
        guard let bytes = watchBytes[domain] else { return }
        let left = bytes - watch.storageSize
        watchBytes[domain] = left > 0 ? left : nil
    }

    /// Every watch that hears of `change`, in every connection, gets its
    /// event.
    func fireWatches(for change: StoreChange) {
        for connection in allConnections {
            guard change.permissions.access(for: connection.domain).mayRead else { continue }
            let home = StorePath.home(of: connection.domain)
            for watch in connection.watches {
                guard let path = watch.eventPath(for: change, home: home) else { continue }
                queueEvent(path: path, token: watch.token, to: connection)
            }
        }
    }

    /// Fires "@introduceDomain" or "@releaseDomain".
    func fireSpecialWatches(_ target: StoreWatch.Target) {
        for connection in allConnections where XenStore.isPrivileged(connection.domain) {
            for watch in connection.watches where watch.target == target {
                queueEvent(path: watch.givenPath, token: watch.token, to: connection)
            }
        }
    }

    /// An XS_WATCH_EVENT: "path\0token\0". Dropped, and counted, when the
    /// connection already has `queuedOutputBytes` waiting: a guest that
    /// does not read its ring must not make dom0 hold ever more for it.
    private func queueEvent(path: [UInt8], token: [UInt8], to connection: StoreConnection) {
        let event = StoreMessage(type: XS_WATCH_EVENT.rawValue, payload: path + [0] + token + [0])
        if connection.output.byteCount + event.payload.count + StoreMessage.headerSize > quotas.queuedOutputBytes {
            connection.droppedWatchEvents += 1
            return
        }
        send(event, to: connection)
        // Written to its ring at once, so the domain must be told: it may
        // be asleep waiting for exactly this.
        if let ring = connection.ring, flushOutput(of: connection, ring: ring) { bridge.notify(connection.localPort) }
    }
}
