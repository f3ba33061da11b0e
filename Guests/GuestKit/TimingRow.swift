import GuestSupport

/// The benchmark row format every bench line of a guest uses, and the
/// measurement behind it. `xtool bench` parses these lines:
///
///     bench: config iterations=1000 batches=7 unit=tsc
///     bench: row KEY v1 v2 ... vN | Human-readable label
///     bench: skip KEY reason
///     bench: end
///
/// vi is the TSC ticks per operation of batch i with the empty-loop
/// baseline of that same batch subtracted (0 if the loop was no slower
/// than its baseline). Under QEMU's -icount shift=0 a tick is one executed
/// instruction, guest and hypervisor alike, so the values are path lengths.
/// The hypervisor's console breaks lines at 200 characters: keep labels
/// to about 80, so that seven values of any size fit.
struct TimingRow {
    /// Operations per batch.
    let iterations: UInt64
    /// Batches per row: one value each.
    let batches: Int

    /// Reads `iterations=N batches=M` from a command line; defaults 1000
    /// and 7. Zero or a word that is no number keeps the default.
    init(commandLine: GuestString?) {
        let iterations = commandLine?.value(ofOption: "iterations")?.decimalValue ?? 0
        let batches = commandLine?.value(ofOption: "batches")?.decimalValue ?? 0
        self.iterations = iterations > 0 ? iterations : 1000
        self.batches = batches > 0 && batches <= 64 ? Int(batches) : 7
    }

    init(iterations: UInt64, batches: Int) {
        self.iterations = max(iterations, 1)
        self.batches = max(batches, 1)
    }

    func printConfig() {
        print("bench: config iterations=\(iterations) batches=\(batches) unit=tsc")
    }

    static func printEnd() { print("bench: end") }

    /// `bench: skip KEY reason`: the row cannot be measured here.
    static func skip(_ key: StaticString, _ reason: String) {
        print("bench: skip \(key) \(reason)")
    }

    /// Prints the row from per-batch values already net of the baseline.
    static func printRow(_ key: StaticString, _ values: [UInt64], _ label: StaticString) {
        var line = "bench: row \(key)"
        for value in values { line += " \(value)" }
        print(line + " | \(label)")
    }

    /// One value per batch: (ticks of `operation`, a whole batch of it)
    /// minus (ticks of `baseline`, the same batch without the operation),
    /// over `iterations`. Each closure runs a whole batch and returns its
    /// ticks, so loops that must run somewhere else (ring 3) can be timed.
    func batchValues(baseline: () -> UInt64, operation: () -> UInt64) -> [UInt64] {
        _ = baseline()                  // warm up: first-touch costs are not the path's
        _ = operation()
        var values: [UInt64] = []
        for _ in 0..<batches {
            let base = baseline()
            let total = operation()
            values.append(total > base ? (total - base) / iterations : 0)
        }
        return values
    }

    /// `batchValues` for an operation that is one Swift closure: each
    /// batch times `iterations` runs of it against an empty loop.
    func loopValues(_ body: () -> Void) -> [UInt64] {
        batchValues(baseline: { timeLoop {} }, operation: { timeLoop(body) })
    }

    /// Ticks of `iterations` runs of `body`.
    func timeLoop(_ body: () -> Void) -> UInt64 {
        let start = read_tsc()
        for _ in 0..<iterations { body() }
        return read_tsc() &- start
    }
}
