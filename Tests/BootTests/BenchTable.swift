import Foundation
import XToolKit

/// Reads the bench rows of a transcript (Guests/GuestKit/TimingRow.swift's
/// format, behind the console's "(dN) " prefix):
///
///     (d0) bench: config iterations=20 batches=3 unit=tsc
///     (d0) bench: row cpuid 302 302 302 | CPUID leaf 0x40000000: ...
///     (d0) bench: skip KEY reason
///     (d0) bench: end
enum BenchTable {
    /// One `bench: row` line: its key and its per-batch values; nil values
    /// if a word between the key and "|" is not a non-negative integer.
    struct Row: Equatable {
        let key: String
        let values: [Int]?
        let label: String
    }

    /// Every row line of domain `domain`, in transcript order.
    static func rows(in transcript: String, domain: Int = 0) -> [Row] {
        ConsoleLines.starting(with: "(d\(domain)) bench: row ", in: transcript).compactMap { line in
            let body = line.dropFirst("(d\(domain)) bench: row ".count)
            let halves = body.split(separator: "|", maxSplits: 1)
            let words = halves[0].split(separator: " ")
            guard let key = words.first else { return nil }
            let numbers = words.dropFirst().compactMap { Int($0) }.filter { $0 >= 0 }
            let label = halves.count > 1 ? halves[1].trimmingCharacters(in: .whitespaces) : ""
            return Row(key: String(key), values: numbers.count == words.count - 1 ? numbers : nil, label: label)
        }
    }

    /// The keys of domain `domain`'s `bench: skip` lines.
    static func skippedKeys(in transcript: String, domain: Int = 0) -> [String] {
        ConsoleLines.starting(with: "(d\(domain)) bench: skip ", in: transcript).compactMap { line in
            line.dropFirst("(d\(domain)) bench: skip ".count).split(separator: " ").first.map(String.init)
        }
    }
}
