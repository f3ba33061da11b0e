import Foundation

/// Debian's statically linked busybox (the package busybox-static): one
/// binary with a shell and the usual tools, needing no libraries, which is
/// all xtool's initramfs holds (see `Initramfs`). `xtool fetch busybox` (and
/// `xtool initramfs`) download it once into build/third-party/busybox; delete
/// the file to fetch it again, as with the kernel.
public enum DebianBusybox {
    static let package = "busybox-static"
    /// The binary, relative to the project root.
    public static let path = DebianKernel.folder + "/busybox"

    /// The binary, downloaded unless a copy is there already.
    public static func fetch(root: URL, reporter: Reporter) throws -> URL {
        let binary = root.appendingPathComponent(path)
        if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        try DebianPackage.extract(package, members: "./bin/busybox", stripComponents: 2,
                                  into: binary.deletingLastPathComponent(), reporter: reporter)
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XToolError.missingInput("\(package) has no executable /bin/busybox")
        }
        reporter.line("fetch: \(path)")
        return binary
    }
}
