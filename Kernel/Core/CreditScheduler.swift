/// The scheduling policy: a credit scheduler for one CPU, in the spirit of
/// Xen's credit scheduler. The rules:
///
/// 1. Weights. Every accounting period (30 ms) that period's CPU time is
///    handed out as credit (in ns) to the domains that may run (running or
///    blocked; not paused, not finished), in proportion to their weights
///    (default 256).
/// 2. Charging. A domain pays, from its credit, the time it held the CPU,
///    measured with the TSC.
/// 3. Priorities. BOOST (just woke up with credit left) before UNDER (credit
///    left) before OVER (credit used up). Within a priority, the domain that
///    has waited longest goes first.
/// 4. Slices. A domain runs for at most one slice (10 ms), then goes to the
///    back of its priority's queue. It gives up the CPU earlier when it
///    blocks (SCHEDOP_block, SCHEDOP_poll, HLT), ends, is preempted by a
///    domain that wakes up with a higher priority (BOOST), or yields
///    (SCHEDOP_yield): then it goes to the back of its queue and, as in
///    Xen's credit scheduler, also lets the next runnable domain go first
///    even if that one has a lower priority, once. A domain that yields
///    while it waits for others (dom0 waiting for its domUs) thus lets them
///    run; alone, it runs again at once.
/// 5. Work-conserving. An OVER domain still runs when no one else wants the
///    CPU, so a lone spinner gets all of it. A spinner cannot starve others:
///    they get credit every period, which puts them before it.
/// 6. Bounds. Credit stays within one period's worth either way, so a domain
///    that slept for long cannot bank unbounded time, and one that spun
///    alone for long does not owe unbounded time once others wake.
/// 7. Idle. With nothing runnable the scheduler halts the CPU until the
///    next timer; with no timer either, nothing can ever run again (a
///    deadlock, reported).
struct CreditScheduler {
    static let defaultWeight: UInt16 = 256
    static let timeSlice: UInt64 = 10 * SystemTime.millisecond
    static let accountingPeriod: UInt64 = 30 * SystemTime.millisecond
    static let creditLimit = Int64(accountingPeriod)

    enum Priority: Int, Comparable {
        case over = 0
        case under = 1
        case boost = 2

        static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }

        var name: StaticString {
            switch self {
            case .over: "over"
            case .under: "under"
            case .boost: "boost"
            }
        }
    }

    /// When the next period's credit is due; nil before the first.
    private(set) var nextAccounting: UInt64? = nil

    static func priority(_ domain: Domain) -> Priority {
        if domain.scheduling.boosted { return .boost }
        return domain.scheduling.credit > 0 ? .under : .over
    }

    /// Whether `woken` should take the CPU from `running` now.
    static func preempts(_ woken: Domain, _ running: Domain) -> Bool {
        priority(woken) > priority(running)
    }

    /// The domain to run next: runnable, highest priority, longest waiting;
    /// one that just yielded only if no other can run (rule 4).
    static func pick(from domains: [Domain]) -> Domain? {
        let chosen = best(of: domains, yielded: false) ?? best(of: domains, yielded: true)
        for domain in domains { domain.scheduling.yielded = false }
        return chosen
    }

    private static func best(of domains: [Domain], yielded: Bool) -> Domain? {
        // LAB 7 BEGIN: the runnable domain of highest priority that has waited longest
        // LAB 7 STUB: fatalError("lab 7: CreditScheduler.best is yours to write (Docs/labs/lab7-scheduling.md)")
        var best: Domain? = nil
        for domain in domains where domain.state == .running && !domain.vcpus.isEmpty
            && domain.scheduling.yielded == yielded {
            guard let current = best else { best = domain; continue }
            let (mine, theirs) = (priority(domain), priority(current))
            if mine > theirs || (mine == theirs && domain.scheduling.queuedAt < current.scheduling.queuedAt) {
                best = domain
            }
        }
        return best
        // LAB 7 END
    }

    /// Hands out the credit of every period that began by `now` (rule 1).
    mutating func account(now: UInt64, domains: [Domain]) {
        let due = nextAccounting ?? now
        guard now >= due else { return }
        let periods = (now - due) / Self.accountingPeriod + 1
        nextAccounting = due + periods * Self.accountingPeriod

        // LAB 7 BEGIN: hand out the period's credit in proportion to the weights, within the limit
        // LAB 7 STUB: fatalError("lab 7: CreditScheduler.account's credit is yours to write (Docs/labs/lab7-scheduling.md)")
        var totalWeight: UInt64 = 0
        for domain in domains where Self.earnsCredit(domain) { totalWeight += Self.weight(domain) }
        guard totalWeight > 0 else { return }
        // Periods beyond the first only matter up to the limit (rule 6).
        let counted = Int64(min(periods, 2))
        for domain in domains where Self.earnsCredit(domain) {
            let share = Int64(Self.accountingPeriod * Self.weight(domain) / totalWeight)
            let credit = domain.scheduling.credit + share * counted
            domain.scheduling.credit = min(credit, Self.creditLimit)
        }
        // LAB 7 END
    }

    /// After a slice: pay for it (rule 2) and go to the back of the queue
    /// (rule 4). A boost lasts one slice.
    static func charge(_ domain: Domain, ran: UInt64, preempted: Bool, yielded: Bool = false, now: UInt64) {
        // LAB 7 BEGIN: pay for the slice, never below minus one period's credit
        // LAB 7 STUB: fatalError("lab 7: CreditScheduler.charge's payment is yours to write (Docs/labs/lab7-scheduling.md)")
        let cost = Int64(clamping: ran)
        domain.scheduling.credit = max(domain.scheduling.credit - cost, -creditLimit)
        // LAB 7 END
        domain.scheduling.boosted = false
        domain.scheduling.yielded = yielded
        domain.scheduling.queuedAt = now
        domain.scheduling.cpuTime += ran
        domain.scheduling.slices += 1
        if preempted { domain.scheduling.preemptions += 1 }
    }

    /// A blocked domain became runnable (rule 3: BOOST if it has credit).
    static func wokeUp(_ domain: Domain, at now: UInt64) {
        domain.scheduling.boosted = domain.scheduling.credit > 0
        domain.scheduling.queuedAt = now
        domain.scheduling.wakeUps += 1
    }

    private static func earnsCredit(_ domain: Domain) -> Bool {
        domain.state == .running || domain.state == .blocked
    }

    private static func weight(_ domain: Domain) -> UInt64 { UInt64(max(domain.scheduling.weight, 1)) }
}
