import XenPublic

/// Dom0's toolstack talking to its own store, the way libxl talks to
/// xenstored: requests of the wire protocol on a local connection, each
/// answered at once. Used to write a new domain's nodes and to remove them.
struct ToolstackStoreClient {
    let store: XenStore
    let connection: StoreConnection

    init(store: XenStore) {
        self.store = store
        connection = store.openLocalConnection()
    }

    /// XS_WRITE of `value` at `path`, then XS_SET_PERMS: owner `owner`,
    /// others `others`, plus `readers` with read access. Nil, or the
    /// store's error name.
    @discardableResult
    func write(_ path: String, _ value: String, owner: UInt16, others: StoreAccess = .none,
               readers: [UInt16] = []) -> String? {
        if let error = request(XS_WRITE, bytes(path) + [0] + bytes(value)) { return error }
        var permissions = bytes(path) + [0] + [others.letter] + StoreBytes.decimal(owner) + [0]
        for reader in readers { permissions += [StoreAccess.read.letter] + StoreBytes.decimal(reader) + [0] }
        return request(XS_SET_PERMS, permissions)
    }

    /// XS_RM of `path` and everything below it.
    @discardableResult
    func remove(_ path: String) -> String? {
        request(XS_RM, bytes(path) + [0])
    }

    /// XS_READ: the value, or nil if there is none (or it cannot be read).
    func read(_ path: String) -> [UInt8]? {
        store.handle(StoreMessage(type: XS_READ.rawValue, payload: bytes(path) + [0]), from: connection)
        let replies = connection.takeMessages()
        guard let reply = replies.first, reply.type == XS_READ.rawValue else { return nil }
        return reply.payload
    }

    /// Sends one request and takes its reply: nil if it worked, else the
    /// error's name ("EACCES").
    private func request(_ type: xsd_sockmsg_type, _ payload: [UInt8]) -> String? {
        store.handle(StoreMessage(type: type.rawValue, payload: payload), from: connection)
        for reply in connection.takeMessages() where reply.type == XS_ERROR.rawValue {
            return String(decoding: reply.payload.filter { $0 != 0 }, as: UTF8.self)
        }
        return nil
    }

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
