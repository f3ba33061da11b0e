import Foundation

/// Debian's own Linux kernel, as a third-party PVH guest: built elsewhere,
/// for every machine Debian runs on, including as a Xen PVH dom0
/// (CONFIG_XEN_PVH, CONFIG_XEN_DOM0). `xtool fetch linux` downloads the
/// package linux-image-amd64 points at and keeps only its bzImage, in
/// build/third-party/; boot it with `--dom0 "build/third-party/vmlinuz-...
/// earlyprintk=xen console=hvc0"` (xtool unpacks the bzImage).
public enum DebianKernel {
    public static let folder = "build/third-party"
    static let metaPackage = "linux-image-amd64"
    /// A second name for the fetched bzImage, without its version, so a
    /// domain config can name it (`kernel = "../../../build/third-party/vmlinuz"`)
    /// whichever version Debian serves today. A hard link: a regular file,
    /// as every boot module must be.
    public static let unversionedName = "vmlinuz"

    /// The bzImage, downloaded unless a copy is there already; also under
    /// `unversionedName`.
    public static func fetch(root: URL, reporter: Reporter) throws -> URL {
        let image = try fetchVersioned(root: root, reporter: reporter)
        try linkUnversionedName(to: image)
        return image
    }

    private static func linkUnversionedName(to image: URL) throws {
        let link = image.deletingLastPathComponent().appendingPathComponent(unversionedName)
        let manager = FileManager.default
        let inode = { (url: URL) in (try? manager.attributesOfItem(atPath: url.path))?[.systemFileNumber] as? UInt64 }
        if let linked = inode(link), linked == inode(image) { return }
        try? manager.removeItem(at: link)
        do {
            try manager.linkItem(at: image, to: link)
        } catch {
            try manager.copyItem(at: image, to: link)    // a file system without hard links
        }
    }

    private static func fetchVersioned(root: URL, reporter: Reporter) throws -> URL {
        let target = root.appendingPathComponent(folder)
        if let kept = existingImage(in: target) { return kept }
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let package = try kernelPackage(target: target)
        // Only ./boot/vmlinuz-* out of the package's files (the modules are
        // hundreds of megabytes).
        try DebianPackage.extract(package, members: "./boot/vmlinuz-*", stripComponents: 2, into: target, reporter: reporter)
        guard let image = existingImage(in: target) else {
            throw XToolError.missingInput("\(package) has no /boot/vmlinuz-*")
        }
        reporter.line("fetch: \(folder)/\(image.lastPathComponent)")
        return image
    }

    static func existingImage(in folder: URL) -> URL? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix("vmlinuz-") }.sorted().last.map { folder.appendingPathComponent($0) }
    }

    /// The versioned package the meta-package depends on, e.g.
    /// linux-image-6.1.0-56-amd64, from `apt-cache depends`.
    private static func kernelPackage(target: URL) throws -> String {
        let listing = target.appendingPathComponent("apt-cache-depends.txt")
        defer { try? FileManager.default.removeItem(at: listing) }
        try DebianPackage.run("apt-cache", ["depends", metaPackage], in: target, what: "apt-cache depends \(metaPackage)", output: listing)
        let text = (try? String(contentsOf: listing, encoding: .utf8)) ?? ""
        guard let package = dependency(in: text) else {
            throw XToolError.missingInput("apt-cache knows no kernel package behind \(metaPackage) (try apt-get update)")
        }
        return package
    }

    /// The first "Depends: linux-image-..." of an `apt-cache depends` listing.
    static func dependency(in listing: String) -> String? {
        for line in listing.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, words[0] == "Depends:", words[1].hasPrefix("linux-image-") {
                return String(words[1])
            }
        }
        return nil
    }
}
