/// What the store needs from dom0 to reach a domain, and nothing more: the
/// store itself does no hypercalls, so it runs unchanged in host tests.
/// Dom0's glue implements it with foreign mapping and event channel
/// hypercalls; tests implement it with allocated pages and counters.
///
/// Class-bound: Embedded Swift has existentials of class protocols only.
public protocol StoreDomainBridge: AnyObject {
    /// Maps the ring page `domain` named in XS_INTRODUCE (a frame number
    /// of that domain: gfn for a PVH domain) and returns it, or nil.
    func mapRingPage(of domain: UInt16, frame: UInt64) -> UnsafeMutableRawPointer?
    /// Undoes `mapRingPage` (XS_RELEASE, or a connection dropped).
    func unmapRingPage(_ page: UnsafeMutableRawPointer, of domain: UInt16)
    /// Binds to the domain's store event channel `remotePort` and returns
    /// the local port, or nil.
    func bindEventChannel(of domain: UInt16, remotePort: UInt32) -> UInt32?
    func unbindEventChannel(_ localPort: UInt32)
    /// Tells the domain there is new data or room in its rings.
    func notify(_ localPort: UInt32)
    /// A full memory barrier, and a compiler barrier, between accesses to a
    /// shared ring page: the guest runs on another vCPU. The store calls it
    /// between reading an index and the data it covers, and between the
    /// data and writing an index. Dom0 implements it with `mfence` in C
    /// inline assembly with a "memory" clobber (Embedded Swift has no
    /// atomics module to ask for a fence); host tests may do nothing, as
    /// they drive the ring from one thread.
    func sharedMemoryBarrier()
    /// Whether dom0 still has room for a domain's request to make the
    /// store grow. Per-domain quotas bound each domain; this bounds them
    /// all together, whatever their number: when it says no, requests of
    /// unprivileged domains that would add to the store get ENOMEM, instead
    /// of dom0 running out of memory (which would stop it, and every
    /// domain it serves).
    func hasRoomToGrow() -> Bool
}
