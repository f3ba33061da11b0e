/// A domain dom0 did not build, as dom0 reports it (Guests/Dom0):
///
///     (d0) dom0: beta: cannot build: module 2: not a PVH kernel: no XEN_ELFNOTE_PHYS32_ENTRY note
///     (d0) dom0: manifest line 3: memory=0: give 1 to 4096 (MiB): line skipped
///
/// The first names the domain; the second only its manifest line, which
/// dom0 could not read far enough to know the name.
///
/// Dom0 is the toolstack, trusted like the hypervisor, and only dom0 can
/// write a line that starts with "(d0) ": the hypervisor puts every other
/// domain's console lines behind that domain's own prefix (see `ConsoleLines`).
public struct DomainBuildFailure: Sendable, Equatable {
    /// Which domain: by name, or by its line in the manifest.
    public enum Subject: Sendable, Equatable {
        case name(String)
        case manifestLine(Int)
    }

    public static let marker = "(d0) dom0: "
    static let cannotBuild = ": cannot build: "
    static let manifestLine = "manifest line "
    static let lineSkipped = ": line skipped"

    public var subject: Subject
    public var reason: String

    public init(subject: Subject, reason: String) {
        self.subject = subject
        self.reason = reason
    }

    /// The line's report, or nil if it is not one of dom0's two failure lines.
    public init?(line: Substring) {
        guard line.hasPrefix(Self.marker) else { return nil }
        let rest = line.dropFirst(Self.marker.count)
        if let skipped = Self.skippedLine(rest) {
            self = skipped
            return
        }
        // A name is one word (Guests/Dom0/Manifest.swift): text with a blank
        // before ": cannot build: " is some other line.
        guard let separator = rest.range(of: Self.cannotBuild) else { return nil }
        let name = rest[..<separator.lowerBound]
        let reason = rest[separator.upperBound...]
        guard !name.isEmpty, !name.contains(" "), !reason.isEmpty else { return nil }
        self.init(subject: .name(String(name)), reason: String(reason))
    }

    /// "manifest line N: PROBLEM: line skipped".
    private static func skippedLine(_ text: Substring) -> DomainBuildFailure? {
        guard text.hasPrefix(manifestLine), text.hasSuffix(lineSkipped) else { return nil }
        let numberAndProblem = text.dropFirst(manifestLine.count).dropLast(lineSkipped.count)
        guard let colon = numberAndProblem.range(of: ": "),
              let number = Int(numberAndProblem[..<colon.lowerBound]), number > 0
        else { return nil }
        let problem = numberAndProblem[colon.upperBound...]
        guard !problem.isEmpty else { return nil }
        return DomainBuildFailure(subject: .manifestLine(number), reason: String(problem))
    }

    /// Every such report of a transcript, in order.
    public static func all(in transcript: String) -> [DomainBuildFailure] {
        ConsoleLines.starting(with: marker, in: transcript).compactMap { DomainBuildFailure(line: $0) }
    }
}
