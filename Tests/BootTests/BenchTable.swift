import XToolKit

/// Reads the bench guest's table: rows like
/// "(d0) bench: CPUID leaf 0x40000000 (exit)      434         434",
/// the path's name, then ticks per operation, then the same minus the baseline.
enum BenchTable {
    /// The ticks/op of the first row starting with `prefix`, nil if there is
    /// no such row or it does not end in two integers.
    static func ticks(in transcript: String, row prefix: String) -> Int? {
        guard let row = ConsoleLines.starting(with: prefix, in: transcript).first else { return nil }
        let words = row.split(separator: " ")
        guard words.count >= 2, Int(words[words.count - 1]) != nil else { return nil }
        return Int(words[words.count - 2])
    }
}
