import Foundation

/// Median, minimum and maximum of a row's batches: the median is the
/// figure (one batch disturbed by a timer interrupt or a host hiccup moves
/// it little), min and max show the spread.
public struct BenchStatistics: Sendable, Equatable {
    /// The middle value; with an even count, halfway between the two middle
    /// ones (so it may end in .5).
    public var median: Double
    public var minimum: UInt64
    public var maximum: UInt64
    public var count: Int

    /// nil for no values.
    public init?(_ values: [UInt64]) {
        guard let minimum = values.min(), let maximum = values.max() else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 {
            median = Double(sorted[middle])
        } else {
            // Halve each before adding: two values near UInt64.max must not overflow.
            let low = sorted[middle - 1], high = sorted[middle]
            let odd: UInt64 = low % 2 + high % 2
            let whole: UInt64 = low / 2 + high / 2 + odd / 2
            median = Double(whole) + (odd == 1 ? 0.5 : 0)
        }
        self.minimum = minimum
        self.maximum = maximum
        self.count = values.count
    }

    /// The median as the table prints it: a whole number, or one ending in ".5".
    public var medianText: String { Self.text(median) }

    static func text(_ value: Double) -> String {
        value == value.rounded() ? String(UInt64(value)) : String(format: "%.1f", value)
    }
}
