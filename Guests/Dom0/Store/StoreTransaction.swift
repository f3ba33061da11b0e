/// An open transaction: what it saw and what it will write.
///
/// Xen's model: operations in a transaction see the committed tree plus
/// the transaction's own changes. The first time a path is touched (read
/// or written) its generation is recorded; at commit, if any recorded path
/// has another generation now, someone else changed it meanwhile and the
/// commit fails with EAGAIN (the client retries). Otherwise the staged
/// nodes replace the committed ones and the watches fire.
///
/// Everything kept here is charged to `stagedBytes`, capped by
/// `StoreQuotas.bytesPerTransaction` for an unprivileged domain.
public final class StoreTransaction {
    public let id: UInt32
    public let domain: UInt16
    var generationsSeen: [[UInt8]: UInt64] = [:]
    var staged: [[UInt8]: StoreStagedNode] = [:]
    /// Order of first staging, so a commit applies in a stable order.
    var stagedOrder: [StorePath] = []
    var changes: [StoreChange] = []
    /// Usage the staged nodes add to (or take from) each owner.
    var usageDelta: [UInt16: StoreUsage] = [:]
    var stagedBytes = 0

    init(id: UInt32, domain: UInt16) {
        self.id = id
        self.domain = domain
    }
}
