/// A bench guest's `bench: config iterations=N batches=B unit=U` line: how
/// each row's values were taken.
public struct BenchHeader: Sendable, Equatable {
    /// Operations per batch.
    public var iterations: Int
    /// Values per row.
    public var batches: Int
    /// What the guest counted (`tsc`); what a tick is depends on the machine
    /// (`BenchUnit`).
    public var unit: String

    public init(iterations: Int, batches: Int, unit: String) {
        self.iterations = iterations
        self.batches = batches
        self.unit = unit
    }
}
