/// A problem in a domain config file, shown as `FILE:LINE: message` like a
/// compiler's. Line 0 means the file as a whole (it could not be read).
public struct DomainConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String

    public init(path: String, line: Int, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { "\(path):\(line): \(message)" }
}

/// Every problem found in the domain configs of one boot: each file's in line
/// order, file after file, then the clashes between files (names).
public struct DomainConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [DomainConfigError]

    public init(_ errors: [DomainConfigError]) {
        self.errors = errors
    }

    /// One `FILE:LINE: message` per line.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
