/// How often one domain made each hypercall and how often it failed, by
/// position in the hypercall table, with one extra slot at the end for
/// numbers the table lacks. The counts live in memory allocated once when
/// the domain is made: counting is an increment, with no allocation, no
/// copy-on-write check and no exclusivity check on the hypercall path.
final class HypercallCounters {
    static var slotCount: Int { HypercallTable.entries.count + 1 }
    /// calls at [slot], failures at [slotCount + slot].
    private let counts: UnsafeMutablePointer<UInt64>
    /// Where the calls of unknown numbers go (the last slot), and where
    /// failures start: kept here so that counting never looks at the table
    /// itself (a lazily made global, checked on every look).
    private let unknownSlot: Int
    private let failureOffset: Int

    init() {
        unknownSlot = HypercallTable.entries.count
        failureOffset = Self.slotCount
        counts = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 * Self.slotCount)
        counts.initialize(repeating: 0, count: 2 * Self.slotCount)
    }

    deinit { counts.deallocate() }

    /// Counts one call of the hypercall at `position` (nil: unknown number).
    @inline(__always)
    func count(_ position: Int?, failed: Bool) {
        let slot = position ?? unknownSlot
        counts[slot] &+= 1
        if failed { counts[failureOffset + slot] &+= 1 }
    }

    func calls(at slot: Int) -> UInt64 { counts[slot] }
    func failures(at slot: Int) -> UInt64 { counts[Self.slotCount + slot] }

    /// "console_io 300, sched_op 12 (2 failed), unknown 1 (1 failed)":
    /// the hypercalls made, in table order; "" when none were.
    var summary: String {
        var parts: [String] = []
        for slot in 0..<Self.slotCount where calls(at: slot) > 0 {
            let name = slot < HypercallTable.entries.count ? "\(HypercallTable.entries[slot].name)" : "unknown"
            let failed = failures(at: slot) > 0 ? " (\(failures(at: slot)) failed)" : ""
            parts.append("\(name) \(calls(at: slot))\(failed)")
        }
        return parts.joined(separator: ", ")
    }
}
