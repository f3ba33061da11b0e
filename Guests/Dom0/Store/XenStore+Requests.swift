import XenPublic

/// One request in, one reply out: decodes the payload of each message
/// type, runs the operation, and queues the reply (or an XS_ERROR with
/// the errno's name) on the connection.
///
/// Payloads are NUL-separated strings. A trailing NUL may be left off
/// (Linux sends it; some tools do not). XS_WRITE's value is everything
/// after the path's NUL, NULs included.
extension XenStore {
    public func handle(_ request: StoreMessage, from connection: StoreConnection) {
        do {
            send(StoreMessage.reply(to: request, try answer(request, from: connection)), to: connection)
            if request.type == XS_WATCH.rawValue { fireNewWatch(of: connection) }
        } catch {
            send(StoreMessage.error(error, for: request), to: connection)
        }
    }

    private static let ok = StoreBytes.of("OK") + [0]

    /// The requests that can make the store hold more.
    private static let growing: [UInt32] = [XS_WRITE.rawValue, XS_MKDIR.rawValue, XS_SET_PERMS.rawValue,
                                            XS_WATCH.rawValue, XS_TRANSACTION_START.rawValue]

    private func answer(_ request: StoreMessage, from connection: StoreConnection) throws(StoreError) -> [UInt8] {
        let caller = connection.domain
        if !XenStore.isPrivileged(caller), XenStore.growing.contains(request.type), !bridge.hasRoomToGrow() {
            throw .outOfMemory
        }
        let parts = StoreBytes.split(request.payload)
        switch request.type {
        case XS_READ.rawValue:
            return try read(try path(parts, 0, caller), by: caller, in: try view(for: request.transactionID, of: connection))
        case XS_DIRECTORY.rawValue:
            return try directory(try path(parts, 0, caller), by: caller, in: try view(for: request.transactionID, of: connection))
        case XS_GET_PERMS.rawValue:
            let view = try view(for: request.transactionID, of: connection)
            return try permissions(try path(parts, 0, caller), by: caller, in: view).encoded
        case XS_WRITE.rawValue:
            guard let nul = request.payload.firstIndex(of: 0) else { throw .invalidArgument }
            let target = try StorePath.resolve(request.payload[..<nul], for: caller)
            try write(target, value: Array(request.payload[(nul + 1)...]), by: caller,
                      in: try view(for: request.transactionID, of: connection))
            return XenStore.ok
        case XS_MKDIR.rawValue:
            try makeDirectory(try path(parts, 0, caller), by: caller, in: try view(for: request.transactionID, of: connection))
            return XenStore.ok
        case XS_RM.rawValue:
            try remove(try path(parts, 0, caller), by: caller, in: try view(for: request.transactionID, of: connection))
            return XenStore.ok
        case XS_SET_PERMS.rawValue:
            guard parts.count >= 2 else { throw .invalidArgument }
            let list = try StorePermissions.parse(parts[1...])
            try setPermissions(try path(parts, 0, caller), list, by: caller,
                               in: try view(for: request.transactionID, of: connection))
            return XenStore.ok
        case XS_WATCH.rawValue:
            guard parts.count == 2 else { throw .invalidArgument }
            try addWatch(parts[0], token: parts[1], for: connection)
            return XenStore.ok
        case XS_UNWATCH.rawValue:
            guard parts.count == 2 else { throw .invalidArgument }
            try removeWatch(parts[0], token: parts[1], for: connection)
            return XenStore.ok
        case XS_RESET_WATCHES.rawValue:
            removeAllWatches(of: connection)
            return XenStore.ok
        case XS_TRANSACTION_START.rawValue:
            // No nested transactions (cxenstored: EBUSY).
            guard request.transactionID == 0 else { throw .busy }
            return StoreBytes.decimal(try startTransaction(for: connection)) + [0]
        case XS_TRANSACTION_END.rawValue:
            guard parts.count == 1, parts[0].count == 1 else { throw .invalidArgument }
            let letter = parts[0].first!
            guard letter == UInt8(ascii: "T") || letter == UInt8(ascii: "F") else { throw .invalidArgument }
            try endTransaction(request.transactionID, commit: letter == UInt8(ascii: "T"), for: connection)
            return XenStore.ok
        case XS_INTRODUCE.rawValue:
            guard parts.count >= 3, let domain = StoreBytes.parseDecimal(parts[0], as: UInt16.self),
                  let frame = StoreBytes.parseDecimal(parts[1], as: UInt64.self),
                  let port = StoreBytes.parseDecimal(parts[2], as: UInt32.self) else { throw .invalidArgument }
            try introduce(domain, frame: frame, port: port, by: caller)
            return XenStore.ok
        case XS_RELEASE.rawValue:
            try release(try domainArgument(parts), by: caller)
            return XenStore.ok
        case XS_IS_DOMAIN_INTRODUCED.rawValue:
            return StoreBytes.of(isIntroduced(try domainArgument(parts)) ? "T" : "F") + [0]
        case XS_GET_DOMAIN_PATH.rawValue:
            return StorePath.home(of: try domainArgument(parts)).bytes + [0]
        default:
            // XS_CONTROL, XS_RESUME, XS_SET_TARGET, XS_DIRECTORY_PART and
            // anything unknown: not offered here.
            throw .notImplemented
        }
    }

    private func path(_ parts: [ArraySlice<UInt8>], _ index: Int, _ caller: UInt16) throws(StoreError) -> StorePath {
        guard index < parts.count else { throw .invalidArgument }
        return try StorePath.resolve(parts[index], for: caller)
    }

    private func domainArgument(_ parts: [ArraySlice<UInt8>]) throws(StoreError) -> UInt16 {
        guard let first = parts.first, let domain = StoreBytes.parseDecimal(first, as: UInt16.self) else {
            throw .invalidArgument
        }
        return domain
    }
}
