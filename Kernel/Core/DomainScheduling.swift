/// What the credit scheduler keeps per domain (see CreditScheduler for the
/// policy): its weight, its credit, its place in the queue, and counts for
/// reports.
struct DomainScheduling {
    /// The domain's share relative to the others' (Xen's credit weight,
    /// 1...65535, default 256): a domain of weight 512 gets twice the CPU
    /// of one of weight 256 when both want all they can get.
    var weight: UInt16 = CreditScheduler.defaultWeight
    /// CPU time still due to the domain in this accounting period, in ns;
    /// negative when it ran more than its share.
    var credit: Int64 = 0
    /// Woken from a block with credit left: runs ahead of everyone else once.
    var boosted = false
    /// It just yielded: the next pick prefers any other runnable domain.
    var yielded = false
    /// When it last joined the back of its queue (system time, ns): within
    /// a priority, the earliest goes first.
    var queuedAt: UInt64 = 0

    // Counts, for the report when the domain ends.
    /// Nanoseconds of system time the domain held the CPU, summed over its
    /// slices (getdomaininfo's cpu_time).
    var cpuTime: UInt64 = 0
    var slices: UInt64 = 0
    /// Slices that ended because the slice was used up or a woken domain
    /// took the CPU (the others ended by block, yield or the domain's end).
    var preemptions: UInt64 = 0
    var wakeUps: UInt64 = 0
}
