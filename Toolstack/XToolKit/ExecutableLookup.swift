import Foundation

/// Finds a program the way a shell does, through PATH.
public enum ExecutableLookup {
    /// Folders searched after PATH: where Debian puts packaged programs, in case
    /// xtool runs with a trimmed PATH (e.g. from an IDE or a test runner).
    public static let extraFolders = ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]

    public static func find(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let pathFolders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for folder in pathFolders + extraFolders where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }
}
