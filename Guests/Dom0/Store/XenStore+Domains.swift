import XenPublic

/// The domain operations: XS_INTRODUCE, XS_RELEASE, XS_IS_DOMAIN_INTRODUCED,
/// XS_GET_DOMAIN_PATH. Introducing and releasing are dom0's (EACCES for
/// others), as in Xen.
extension XenStore {
    /// Connects `domain`'s ring page (`frame`) and store event channel.
    /// A repeat with the same frame and port is accepted and changes
    /// nothing; with others it is EEXIST (release first). EINVAL for a
    /// reserved domid, dom0 itself, or a page or port the bridge cannot
    /// reach.
    public func introduce(_ domain: UInt16, frame: UInt64, port: UInt32, by caller: UInt16) throws(StoreError) {
        guard XenStore.isPrivileged(caller) else { throw .accessDenied }
        guard domain != XenStore.privilegedDomain, domain < UInt16(DOMID_FIRST_RESERVED) else { throw .invalidArgument }
        if let existing = domainConnections[domain] {
            guard existing.frame == frame, existing.remotePort == port else { throw .alreadyExists }
            return
        }
        guard let page = bridge.mapRingPage(of: domain, frame: frame) else { throw .invalidArgument }
        guard let localPort = bridge.bindEventChannel(of: domain, remotePort: port) else {
            bridge.unmapRingPage(page, of: domain)
            throw .invalidArgument
        }
        let ring = StoreRingPage(page)
        // This store sets no server features: it cannot reconnect a ring
        // and does not report errors in the page.
        ring.serverFeatures = 0
        domainConnections[domain] = StoreConnection(domain: domain, ring: ring, localPort: localPort,
                                                    frame: frame, remotePort: port)
        fireSpecialWatches(.introduceDomain)
    }

    /// Forgets `domain`'s connection, its watches and open transactions.
    /// Its nodes stay (the toolstack removes /local/domain/<id>).
    public func release(_ domain: UInt16, by caller: UInt16) throws(StoreError) {
        guard XenStore.isPrivileged(caller) else { throw .accessDenied }
        guard let connection = domainConnections.removeValue(forKey: domain) else { throw .noEntry }
        removeAllWatches(of: connection)
        connection.transactions = [:]
        if let ring = connection.ring { bridge.unmapRingPage(ring.base, of: domain) }
        bridge.unbindEventChannel(connection.localPort)
        fireSpecialWatches(.releaseDomain)
    }

    public func isIntroduced(_ domain: UInt16) -> Bool {
        domain == XenStore.privilegedDomain || domainConnections[domain] != nil
    }
}
