import Foundation

/// A fresh folder under the system temp folder, removed when the test is done.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("xtool-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes a file (making its folders) and returns its URL.
    @discardableResult
    func write(_ relativePath: String, _ contents: String = "") throws -> URL {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Sets a file's modification time to `seconds` after a fixed reference date.
    func setTime(_ file: URL, _ seconds: TimeInterval) throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000 + seconds)
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: file.path)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
