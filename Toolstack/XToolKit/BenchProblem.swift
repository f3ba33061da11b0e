/// A `bench:` line that could not be read, with the reason; shown to the
/// user instead of being dropped.
public struct BenchProblem: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number in the transcript.
    public var lineNumber: Int
    public var line: String
    public var reason: String

    public init(lineNumber: Int, line: String, reason: String) {
        self.lineNumber = lineNumber
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(lineNumber): \(reason): \(line)" }
}
