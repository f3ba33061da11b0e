import Foundation

/// Where xtool's own progress lines go (not the tools' output, which streams
/// through unchanged). Tests pass `.silent` or a collecting closure.
public struct Reporter: Sendable {
    public let write: @Sendable (String) -> Void

    public init(write: @Sendable @escaping (String) -> Void) {
        self.write = write
    }

    public func line(_ text: String) {
        write(text + "\n")
    }

    /// Unbuffered, so lines interleave correctly with child processes' output.
    public static let standardOutput = Reporter { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public static let standardError = Reporter { text in
        FileHandle.standardError.write(Data(text.utf8))
    }

    public static let silent = Reporter { _ in }
}
