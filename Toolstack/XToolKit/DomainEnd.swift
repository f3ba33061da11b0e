import Foundation

/// How one domain ended, as the hypervisor reports it in a line of its own:
///
///     (HV) domain-end d1 alpha: poweroff
///     (HV) domain-end d3 gamma: crashed (nested page fault at 0x30000000)
///     (HV) domain-end d4 spinner: destroyed
///
/// `how` is the shutdown reason (poweroff, reboot, crash, ...), `crashed (...)`
/// when the hypervisor crashed the domain, or `destroyed` when dom0 did.
public struct DomainEnd: Sendable, Equatable {
    /// Only lines that start with this are read: no guest can write one
    /// (see `ConsoleLines`).
    public static let marker = "(HV) domain-end "

    public var id: Int
    public var name: String
    public var how: String

    public init(id: Int, name: String, how: String) {
        self.id = id
        self.name = name
        self.how = how
    }

    /// The line's report, or nil if it is not a well-formed domain-end line.
    public init?(line: Substring) {
        guard line.hasPrefix(Self.marker) else { return nil }
        let rest = line.dropFirst(Self.marker.count)
        guard rest.hasPrefix("d"),
              let space = rest.firstIndex(of: " "),
              let id = Int(rest[rest.index(after: rest.startIndex)..<space]), id >= 0,
              let colon = rest[space...].range(of: ": ")
        else { return nil }
        let name = rest[rest.index(after: space)..<colon.lowerBound]
        let how = rest[colon.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, !name.contains(" "), !how.isEmpty else { return nil }
        self.init(id: id, name: String(name), how: how)
    }

    /// Every domain-end report of a transcript, in order.
    public static func all(in transcript: String) -> [DomainEnd] {
        ConsoleLines.starting(with: marker, in: transcript).compactMap { DomainEnd(line: $0) }
    }
}
