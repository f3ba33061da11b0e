import Foundation

/// Reads what has been appended to a file since the last call, like `tail -f`.
/// Used for the serial console, which the emulator writes to a file.
final class FileTailer {
    private let handle: FileHandle

    /// Opens the file, which must exist; empty it first (`emptyFile`) so no
    /// text from an earlier run shows up.
    init(_ file: URL) throws {
        handle = try FileHandle(forReadingFrom: file)
    }

    /// Empties a file in place, or creates it. In place matters: replacing the
    /// file would leave a reader (or the emulator) on the old, deleted one.
    static func emptyFile(_ file: URL) throws {
        if FileManager.default.fileExists(atPath: file.path) {
            let handle = try FileHandle(forWritingTo: file)
            try handle.truncate(atOffset: 0)
            try handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        }
    }

    /// Everything written since the last call (possibly nothing).
    func readNew() -> Data {
        var data = Data()
        while let chunk = try? handle.read(upToCount: 65536), !chunk.isEmpty {
            data.append(chunk)
        }
        return data
    }

    deinit {
        try? handle.close()
    }
}
