import Foundation

/// Files out of a Debian package, for guests built elsewhere: the package is
/// downloaded with `apt-get download` (no root needed, nothing installed),
/// only the wanted files are kept, and the .deb is deleted again.
enum DebianPackage {
    /// Downloads `package` into `folder` and unpacks the members matching
    /// `members` (a tar wildcard such as './boot/vmlinuz-*'), dropping the
    /// first `stripComponents` parts of their paths.
    static func extract(_ package: String, members: String, stripComponents: Int, into folder: URL,
                        reporter: Reporter) throws {
        let archiveFile = try download(package, into: folder, reporter: reporter)
        defer { try? FileManager.default.removeItem(at: archiveFile) }
        let archive = archiveFile.lastPathComponent
        // dpkg-deb reads the data member whatever its compression (xz in
        // Debian's packages, zstd in some others); tar keeps only the members.
        try run("sh", ["-c", "dpkg-deb --fsys-tarfile \"$0\" | tar -x --wildcards --strip-components=\"$1\" \"$2\"",
                       archive, String(stripComponents), members],
                in: folder, what: "unpacking \(archive)")
    }

    /// Runs one of Debian's package tools in `folder`; throws unless it exits 0.
    static func run(_ name: String, _ arguments: [String], in folder: URL, what: String,
                    output: URL? = nil) throws {
        guard let program = ExecutableLookup.find(name) else {
            throw XToolError.hostToolMissing(name: name, packages: ["apt", "dpkg"], reason: "xtool fetch uses Debian's package tools")
        }
        let status = try CommandRunner.run(program, arguments, in: folder, outputFile: output)
        guard status == 0 else { throw XToolError.stepFailed(step: what, exitCode: status) }
    }

    /// Downloads `package` into `folder` and returns the .deb (the caller
    /// deletes it).
    static func download(_ package: String, into folder: URL, reporter: Reporter) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        reporter.line("fetch: downloading \(package) with apt-get")
        try run("apt-get", ["download", package], in: folder, what: "apt-get download \(package)")
        let archives = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix(package + "_") && $0.hasSuffix(".deb") }
        guard let archive = archives.first else {
            throw XToolError.missingInput("apt-get download \(package) left no .deb in \(folder.path)")
        }
        return folder.appendingPathComponent(archive)
    }

    /// Unpacks the members of a .deb matching `members` (tar wildcards,
    /// each must match) into `folder`, keeping their paths.
    static func extract(members: [String], of archive: URL, into folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try run("sh", ["-c", "archive=$1; shift; dpkg-deb --fsys-tarfile \"$archive\" | tar -x --wildcards \"$@\"",
                       "sh", archive.path] + members,
                in: folder, what: "unpacking \(members.joined(separator: " ")) from \(archive.lastPathComponent)")
    }
}
