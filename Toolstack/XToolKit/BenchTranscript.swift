import Foundation

/// What a boot's serial transcript says about the benchmark: the rows the
/// bench guests printed, and every `bench:` line that could not be read.
///
/// A bench line is `bench: ` at the start of a line or after a space, so
/// behind any prefix: "(d0) " for our dom0, "(HV) " for the hypervisor,
/// nothing under Xen (its dom0's console_io lines carry none),
/// "(d0) [d1 linux] " for a domU's PV console. That prefix is the line's
/// *source*: a source's `bench: config` line sets the batch count its
/// later rows must have, and its `bench: end` says it finished. Rows of a
/// source without a config (the hypervisor's one-value boot-to-dom0 row)
/// may have any number of values.
///
/// `bench: skip KEY reason` names a row that cannot be measured there;
/// other `bench:` lines (prose, the old table) are kept as `notes`.
public struct BenchTranscript: Sendable, Equatable {
    public var rows: [BenchRow] = []
    /// The config line of each source, by source prefix.
    public var headers: [String: BenchHeader] = [:]
    /// Sources that printed `bench: end`.
    public var endedSources: Set<String> = []
    public var problems: [BenchProblem] = []
    /// `bench: skip KEY reason`: rows the guest could not measure here (a
    /// hypervisor without that feature), by key, with the guest's reason.
    public var skips: [BenchSkip] = []
    /// `bench:` lines that are neither config, row nor end, without the prefix.
    public var notes: [String] = []

    public init() {}

    /// The most values a row may carry: more is a broken line, not a bench.
    public static let maximumBatches = 1000

    /// Whether any source said `bench: end`.
    public var ended: Bool { !endedSources.isEmpty }

    public static func parse(_ transcript: String) -> BenchTranscript {
        var result = BenchTranscript()
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        for rawLine in transcript.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = Substring(rawLine)
            while line.last == "\r" { line = line.dropLast() }
            guard let (source, body) = benchPart(of: line) else { continue }
            result.take(source: source, body: body, line: String(line), lineNumber: lineNumber)
        }
        for source in result.headers.keys.sorted() where !result.endedSources.contains(source) {
            result.problems.append(BenchProblem(
                lineNumber: lineNumber, line: "(end of transcript)",
                reason: "\(describe(source)) printed its config but no `bench: end` (did it stop early?)"
            ))
        }
        return result
    }

    /// Only the line that announces itself as the bench's stop: the machine can stop then.
    public static func isEndLine(_ line: String) -> Bool {
        guard let (_, body) = benchPart(of: Substring(line)) else { return false }
        return body.trimmingCharacters(in: .whitespacesAndNewlines) == "end"
    }

    /// The prefix before "bench: " and the text after it, if the line has one.
    static func benchPart(of line: Substring) -> (source: String, body: Substring)? {
        let marker = "bench: "
        var searchStart = line.startIndex
        while let range = line[searchStart...].range(of: marker) {
            // "disk-bench: read ..." is another program's line, not ours.
            if range.lowerBound == line.startIndex || line[line.index(before: range.lowerBound)] == " " {
                return (String(line[..<range.lowerBound]), line[range.upperBound...])
            }
            searchStart = range.upperBound
        }
        return nil
    }

    static func describe(_ source: String) -> String {
        source.isEmpty ? "the bench (no prefix)" : "the bench behind \"\(source.trimmingCharacters(in: .whitespaces))\""
    }

    private mutating func take(source: String, body: Substring, line: String, lineNumber: Int) {
        let words = body.split(separator: " ")
        func problem(_ reason: String) {
            problems.append(BenchProblem(lineNumber: lineNumber, line: line, reason: reason))
        }
        switch words.first {
        case "config":
            switch Self.header(words.dropFirst()) {
            case .success(let header):
                if headers[source] != nil { problem("a second config line for \(Self.describe(source))") }
                headers[source] = header
            case .failure(let reason):
                problem(reason.text)
            }
        case "end":
            if words.count != 1 { problem("`bench: end` takes nothing after it") }
            endedSources.insert(source)
        case "skip":
            guard words.count >= 2, BenchRow.isValidKey(String(words[1])) else {
                problem("`bench: skip` needs a lowercase-dashed key")
                return
            }
            let reason = words.dropFirst(2).joined(separator: " ")
            skips.append(BenchSkip(key: String(words[1]), reason: reason.isEmpty ? "no reason given" : reason))
        case "row":
            switch Self.row(body) {
            case .success(let row):
                if let expected = headers[source]?.batches, row.values.count != expected {
                    problem("\(row.key) has \(row.values.count) values, the config says batches=\(expected)")
                } else if rows.contains(where: { $0.key == row.key }) {
                    problem("a second row \(row.key) (the first is kept)")
                } else {
                    rows.append(row)
                }
            case .failure(let reason):
                problem(reason.text)
            }
        default:
            notes.append(String(body))
        }
    }

    struct Reason: Error { var text: String }

    /// `row KEY v1 ... vN | label`
    static func row(_ body: Substring) -> Result<BenchRow, Reason> {
        guard let bar = body.firstIndex(of: "|") else {
            return .failure(Reason(text: "a row needs ` | label` after its values"))
        }
        let label = body[body.index(after: bar)...].trimmingCharacters(in: .whitespaces)
        let words = body[..<bar].split(separator: " ")
        guard words.count >= 2 else { return .failure(Reason(text: "a row needs a key")) }
        let key = String(words[1])
        guard BenchRow.isValidKey(key) else {
            return .failure(Reason(text: "row key \"\(key)\" is not lowercase words joined by dashes"))
        }
        let valueWords = words.dropFirst(2)
        guard !valueWords.isEmpty else { return .failure(Reason(text: "row \(key) has no values")) }
        guard valueWords.count <= maximumBatches else {
            return .failure(Reason(text: "row \(key) has \(valueWords.count) values, more than \(maximumBatches)"))
        }
        var values: [UInt64] = []
        for word in valueWords {
            guard word.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt64(word) else {
                return .failure(Reason(text: "row \(key): \"\(word)\" is not a non-negative integer"))
            }
            values.append(value)
        }
        guard !label.isEmpty else { return .failure(Reason(text: "row \(key) has an empty label")) }
        return .success(BenchRow(key: key, values: values, label: label))
    }

    /// `iterations=N batches=B unit=U`, all three, positive integers for the first two.
    static func header(_ words: ArraySlice<Substring>) -> Result<BenchHeader, Reason> {
        var fields: [String: String] = [:]
        for word in words {
            let parts = word.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[1].isEmpty else {
                return .failure(Reason(text: "config: \"\(word)\" is not NAME=VALUE"))
            }
            fields[String(parts[0])] = String(parts[1])
        }
        func count(_ name: String, upTo limit: Int) -> Result<Int, Reason> {
            guard let text = fields[name] else { return .failure(Reason(text: "config: no \(name)=")) }
            guard let value = Int(text), value > 0, value <= limit else {
                return .failure(Reason(text: "config: \(name)=\(text) is not a whole number from 1 to \(limit)"))
            }
            return .success(value)
        }
        guard let unit = fields["unit"] else { return .failure(Reason(text: "config: no unit=")) }
        return count("iterations", upTo: Int(Int32.max)).flatMap { iterations in
            count("batches", upTo: maximumBatches).map { batches in
                BenchHeader(iterations: iterations, batches: batches, unit: unit)
            }
        }
    }
}
