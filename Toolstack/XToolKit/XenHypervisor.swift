import Foundation

/// Debian's Xen hypervisor, to boot the same bench guest under it and
/// compare (`xtool bench --against xen`). Fetched as `xtool fetch linux`
/// fetches the kernel: the package the meta-package `xen-system-amd64`
/// depends on (xen-hypervisor-4.17-amd64 on Debian 12) is downloaded with
/// `apt-get download`, its `/boot/xen-*.gz` kept and uncompressed: a
/// 32-bit multiboot ELF, which QEMU's `-kernel` loads.
public enum XenHypervisor {
    static let metaPackage = "xen-system-amd64"
    static let folder = DebianKernel.folder

    /// build/third-party/xen-VERSION (e.g. xen-4.17-amd64), downloaded
    /// unless it is there already.
    public static func fetch(root: URL, reporter: Reporter) throws -> URL {
        let target = root.appendingPathComponent(folder)
        if let kept = existingImage(in: target) { return kept }
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let package = try hypervisorPackage(target: target)
        let unpacked = target.appendingPathComponent("xen-unpack", isDirectory: true)
        try? FileManager.default.removeItem(at: unpacked)
        defer { try? FileManager.default.removeItem(at: unpacked) }
        try DebianPackage.extract(package, members: "./boot/xen-*.gz", stripComponents: 2, into: unpacked, reporter: reporter)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: unpacked.path)) ?? []
        guard let compressed = names.filter({ $0.hasPrefix("xen-") && $0.hasSuffix(".gz") }).sorted().last else {
            throw XToolError.missingInput("\(package) has no /boot/xen-*.gz")
        }
        let image = target.appendingPathComponent(String(compressed.dropLast(3)))
        let partial = image.appendingPathExtension("partial")
        try DebianPackage.run("sh", ["-c", "gzip -dc \"$0\" > \"$1\"", unpacked.appendingPathComponent(compressed).path, partial.path],
                              in: target, what: "gzip -dc \(compressed)")
        try? FileManager.default.removeItem(at: image)
        try FileManager.default.moveItem(at: partial, to: image)
        reporter.line("fetch: \(folder)/\(image.lastPathComponent)")
        return image
    }

    /// An uncompressed image kept from an earlier fetch.
    static func existingImage(in folder: URL) -> URL? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix("xen-") && $0.hasSuffix("-amd64") }.sorted().last
            .map { folder.appendingPathComponent($0) }
    }

    private static func hypervisorPackage(target: URL) throws -> String {
        let listing = target.appendingPathComponent("apt-cache-depends-xen.txt")
        defer { try? FileManager.default.removeItem(at: listing) }
        try DebianPackage.run("apt-cache", ["depends", metaPackage], in: target, what: "apt-cache depends \(metaPackage)", output: listing)
        guard let package = dependency(in: (try? String(contentsOf: listing, encoding: .utf8)) ?? "") else {
            throw XToolError.missingInput("apt-cache knows no Xen hypervisor package behind \(metaPackage) (try apt-get update)")
        }
        return package
    }

    /// The first "Depends: xen-hypervisor-...-amd64" of an `apt-cache depends` listing.
    static func dependency(in listing: String) -> String? {
        for line in listing.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, words[0] == "Depends:", words[1].hasPrefix("xen-hypervisor-"), words[1].hasSuffix("-amd64") {
                return String(words[1])
            }
        }
        return nil
    }
}
