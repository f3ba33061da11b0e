import Foundation

/// A small static program for Linux's user space, compiled from C in the
/// tree by the toolchain's clang and ld.lld, with no C library: its own
/// _start and system calls (`-ffreestanding -nostdlib`). xtool's initramfs
/// carries the ones in Toolstack/LinuxPrograms, built afresh each time the
/// archive is made (a few milliseconds): no binary is kept in the tree.
public enum LinuxProgram {
    public static let sourceFolder = "Toolstack/LinuxPrograms"
    /// Where the programs are built, relative to the project root.
    public static let buildFolder = "build/linux-programs"

    /// The programs of the tree: (file name in the archive's /bin, bytes).
    /// None if the tree has no Toolstack/LinuxPrograms (a test's tree).
    static func buildAll(root: URL, toolchain: Toolchain) throws -> [(name: String, contents: Data)] {
        let sources = SourceScanner.files(under: root.appendingPathComponent(sourceFolder), extensions: ["c"])
        return try sources.sorted { $0.path < $1.path }.map { source in
            let name = source.deletingPathExtension().lastPathComponent
            return (name: name, contents: try build(source, root: root, toolchain: toolchain))
        }
    }

    /// Compiles and links one C file; returns the executable's bytes.
    static func build(_ source: URL, root: URL, toolchain: Toolchain) throws -> Data {
        let folder = root.appendingPathComponent(buildFolder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = source.deletingPathExtension().lastPathComponent
        let object = folder.appendingPathComponent(name + ".o")
        let program = folder.appendingPathComponent(name)
        let compile = ["--target=x86_64-linux-gnu", "-static", "-nostdlib", "-ffreestanding",
                       "-fno-stack-protector", "-fno-pic", "-O2", "-Wall", "-c", source.path, "-o", object.path]
        guard try CommandRunner.run(toolchain.clang, compile) == 0 else {
            throw XToolError.stepFailed(step: "compiling \(source.lastPathComponent) for Linux", exitCode: 1)
        }
        let link = ["-static", "-nostdlib", "-e", "_start", "-o", program.path, object.path]
        guard try CommandRunner.run(toolchain.lld, link) == 0 else {
            throw XToolError.stepFailed(step: "linking \(name) for Linux", exitCode: 1)
        }
        return try Data(contentsOf: program)
    }
}
