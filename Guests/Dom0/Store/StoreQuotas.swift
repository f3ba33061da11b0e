/// Limits on what one unprivileged domain can make the store keep. Every
/// allocation a domU's request causes is bounded by one of these, so no
/// domU can exhaust dom0's heap. Dom0 (privileged) has none, as in Xen.
///
/// The counts are cxenstored's defaults; the byte limits are this store's
/// own (cxenstored has a memory quota of the same kind since Xen 4.17),
/// sized for dom0's small heap.
public struct StoreQuotas {
    /// Nodes a domain may own (cxenstored -E, 1000). ENOSPC beyond.
    public var nodesPerDomain = 1000
    /// Longest value (cxenstored -S, 2048). ENOSPC beyond.
    public var valueBytes = 2048
    /// Bytes a domain's nodes and watches may cost together. ENOSPC beyond.
    public var bytesPerDomain = 256 * 1024
    /// Watches per domain (cxenstored -W, 128). E2BIG beyond.
    public var watchesPerDomain = 128
    /// Transactions open at once per domain (cxenstored -t, 10). ENOSPC beyond.
    public var transactionsPerDomain = 10
    /// Bytes one transaction may stage (nodes it read or wrote, watch
    /// events for the commit). ENOSPC beyond.
    public var bytesPerTransaction = 32 * 1024
    /// Output a connection may have waiting for room in its ring. Requests
    /// are not read while the queue is this full; watch events that would
    /// pass it are dropped (and counted).
    public var queuedOutputBytes = 32 * 1024

    public init() {}
}
