import Foundation

/// xtool's root file system for Linux on a Xen virtual disk: an ext4 image,
/// build/rootfs.img, made by `xtool rootfs` from Debian's static busybox
/// with `mke2fs -t ext4 -d FOLDER` (no root, no loop device). Give it to a
/// domain as `disk = [ "PATH/rootfs.img,raw,xvda,rw" ]` with
/// `extra = "console=hvc0 root=/dev/xvda -- COMMAND"`: the initramfs loads
/// xen-blkfront and ext4, mounts it and switch_roots to its /sbin/init
/// (`RootInitScript`), which runs COMMAND there.
///
/// 63 MiB: 128 of Bochs' 16 x 63-sector cylinders exactly, so the same
/// image attaches to Bochs and QEMU alike (`ATADiskLayout`).
public enum RootFileSystem {
    public static let path = "build/rootfs.img"
    public static let sizeBytes = 63 * 1024 * 1024

    /// One thing in the image, relative to its root.
    public struct Entry: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case directory
            case file(Data)
            case symbolicLink(target: String)
        }
        public var path: String
        public var kind: Kind
        public var permissions: Int
    }

    static let directories = ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "proc", "sys", "mnt", "etc", "lib", "run", "var"]

    /// The tree, parents before children.
    public static func entries(busybox: Data) -> [Entry] {
        var entries = directories.map { Entry(path: $0, kind: .directory, permissions: 0o755) }
        entries.append(Entry(path: "tmp", kind: .directory, permissions: 0o1777))
        entries.append(Entry(path: "root", kind: .directory, permissions: 0o700))
        entries.append(Entry(path: "bin/busybox", kind: .file(busybox), permissions: 0o755))
        // For /sbin/init's "#!/bin/sh", before busybox --install has run.
        entries.append(Entry(path: "bin/sh", kind: .symbolicLink(target: "busybox"), permissions: 0o777))
        entries.append(Entry(path: "sbin/init", kind: .file(Data(RootInitScript.text.utf8)), permissions: 0o755))
        entries.append(Entry(path: "sbin/disk-bench", kind: .file(Data(DiskBenchScript.text.utf8)), permissions: 0o755))
        entries.append(Entry(path: "etc/hostname", kind: .file(Data("xtool-rootfs\n".utf8)), permissions: 0o644))
        return entries
    }

    /// Writes the tree into `folder` (which must not exist yet).
    public static func write(_ entries: [Entry], into folder: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        for entry in entries {
            let url = folder.appendingPathComponent(entry.path)
            switch entry.kind {
            case .directory:
                try manager.createDirectory(at: url, withIntermediateDirectories: true)
            case .file(let contents):
                try contents.write(to: url)
            case .symbolicLink(let target):
                try manager.createSymbolicLink(atPath: url.path, withDestinationPath: target)
                continue    // a link has no modes of its own
            }
            // Explicitly: the umask would take the sticky bit and more.
            guard chmod(url.path, mode_t(entry.permissions)) == 0 else {
                throw XToolError.missingInput("cannot set the modes of \(url.path): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// mke2fs's arguments for the image of `folder`.
    static func mke2fsArguments(folder: URL, image: URL) -> [String] {
        ["-q", "-t", "ext4", "-L", "xtool-rootfs", "-d", folder.path, "-F", image.path, "\(sizeBytes / 1024)k"]
    }

    /// Makes build/rootfs.img (fetching busybox first if needed) in a
    /// temporary folder under build/ and moves it into place, so a
    /// failed run leaves the old image alone. Returns the image.
    public static func build(root: URL, reporter: Reporter, mayInstallPackages: Bool = true) throws -> URL {
        try HostSetup(reporter: reporter, mayInstall: mayInstallPackages).ensure(HostRequirement.rootFileSystem)
        guard let mke2fs = HostRequirement.rootFileSystem[0].locate() else {
            throw XToolError.hostToolMissing(name: "mke2fs", packages: ["e2fsprogs"], reason: "not in PATH")
        }
        let busybox = try DebianBusybox.fetch(root: root, reporter: reporter)
        let output = root.appendingPathComponent(path)
        let work = output.deletingLastPathComponent().appendingPathComponent("rootfs.tmp-\(getpid())")
        try? FileManager.default.removeItem(at: work)
        defer { try? FileManager.default.removeItem(at: work) }
        let tree = work.appendingPathComponent("tree")
        try write(entries(busybox: try Data(contentsOf: busybox)), into: tree)
        let image = work.appendingPathComponent("rootfs.img")
        let log = work.appendingPathComponent("mke2fs.log")
        let status = try CommandRunner.run(mke2fs, mke2fsArguments(folder: tree, image: image), outputFile: log)
        guard status == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            reporter.line(text.trimmingCharacters(in: .whitespacesAndNewlines))
            throw XToolError.stepFailed(step: "mke2fs -t ext4 -d \(tree.path)", exitCode: status)
        }
        guard rename(image.path, output.path) == 0 else {
            throw XToolError.missingInput("cannot move the image to \(output.path): \(String(cString: strerror(errno)))")
        }
        reporter.line("rootfs: \(path), ext4, \(sizeBytes / (1024 * 1024)) MiB")
        return output
    }
}
