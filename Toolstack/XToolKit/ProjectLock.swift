import Foundation

/// Lets one xtool process at a time work in a project's build/ folder. Two
/// runs at once (say, the boot tests and a manual `xtool boot`) would compile
/// the same objects and overwrite each other's ISO and console logs.
///
/// It is an advisory lock (flock) on build/.xtool.lock: the kernel drops it
/// when the process ends, however it ends, so it never goes stale. Within one
/// process it nests (`BootRunner` builds under its own lock).
public final class ProjectLock: @unchecked Sendable {
    public static let shared = ProjectLock()

    private let mutex = NSLock()
    /// Per lock file: its descriptor and how deeply we hold it.
    private var held: [String: (descriptor: Int32, depth: Int)] = [:]

    public func withLock<T>(root: URL, reporter: Reporter, _ body: () throws -> T) throws -> T {
        let file = try acquire(root: root, reporter: reporter)
        defer { release(file) }
        return try body()
    }

    private func acquire(root: URL, reporter: Reporter) throws -> String {
        let folder = root.appendingPathComponent("build", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(".xtool.lock").path

        mutex.lock()
        defer { mutex.unlock() }
        if let entry = held[file] {
            held[file] = (entry.descriptor, entry.depth + 1)
            return file
        }
        let descriptor = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw XToolError.couldNotStart(program: "xtool", reason: "cannot open \(file): \(String(cString: strerror(errno)))")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            reporter.line("xtool: waiting for another xtool run in this project to finish")
            flock(descriptor, LOCK_EX)
        }
        held[file] = (descriptor, 1)
        return file
    }

    private func release(_ file: String) {
        mutex.lock()
        defer { mutex.unlock() }
        guard let entry = held[file] else { return }
        if entry.depth > 1 {
            held[file] = (entry.descriptor, entry.depth - 1)
        } else {
            close(entry.descriptor)  // closing drops the flock
            held[file] = nil
        }
    }
}
