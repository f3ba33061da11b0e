/// Under QEMU's --icount every tick is an instruction, and a path runs the
/// same instructions each time: two runs must give the same value for each
/// batch of each row. Any difference is reported, never smoothed over.
public enum BenchRepeatCheck {
    /// One message per row that differs between the first run and a later
    /// one, or that one of them lacks; empty when all runs agree.
    public static func differences(_ runs: [[BenchRow]]) -> [String] {
        guard let first = runs.first else { return [] }
        var messages: [String] = []
        for (offset, other) in runs.enumerated().dropFirst() {
            let number = offset + 1
            for row in first {
                guard let match = other.first(where: { $0.key == row.key }) else {
                    messages.append("not repeatable: \(row.key) run1 \(words(row.values)) run\(number) (no row)")
                    continue
                }
                if match.values != row.values {
                    messages.append("not repeatable: \(row.key) run1 \(words(row.values)) run\(number) \(words(match.values))")
                }
            }
            for row in other where !first.contains(where: { $0.key == row.key }) {
                messages.append("not repeatable: \(row.key) run1 (no row) run\(number) \(words(row.values))")
            }
        }
        return messages
    }

    private static func words(_ values: [UInt64]) -> String {
        values.map(String.init).joined(separator: " ")
    }
}
