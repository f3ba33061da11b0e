import Foundation

/// The modules of Debian's kernel that xtool's initramfs carries so that
/// Linux can take its root file system from a Xen virtual disk: Debian
/// builds xen-blkfront, ext4 and what ext4 needs (jbd2, mbcache, crc16, and
/// crc32c for its metadata checksums) as modules (config-VERSION:
/// CONFIG_XEN_BLKDEV_FRONTEND=m, CONFIG_EXT4_FS=m, CONFIG_JBD2=m, ...).
///
/// They come out of the package of the fetched kernel (linux-image-VERSION
/// for build/third-party/vmlinuz-VERSION: a module loads only into the
/// kernel it was built for), with their dependencies read from each
/// module's modinfo (the package has no modules.dep: depmod writes it when
/// the package is installed), uncompressed, into
/// build/third-party/modules-VERSION/, with `load-order`, their file names
/// one per line in insmod order.
public enum DebianKernelModules {
    /// The modules asked for; the others follow from their dependencies.
    /// xen-privcmd (CONFIG_XEN_PRIVCMD=m) gives user space /dev/xen/privcmd,
    /// the hypercalls of syscall-bench (Toolstack/LinuxPrograms).
    static let wanted = ["xen_blkfront", "ext4", "xen_privcmd"]
    /// Soft dependencies that are aliases (crypto-crc32c is a crypto
    /// algorithm's name), and the module that provides each.
    static let providers = ["crypto-crc32c": "crc32c_generic", "crc32c": "crc32c_generic"]
    static let loadOrderName = "load-order"

    /// The folder for a kernel version, relative to the project root.
    public static func folder(version: String) -> String {
        DebianKernel.folder + "/modules-" + version
    }

    /// The modules' files in insmod order, fetched unless they are there;
    /// fetches the kernel first if there is none.
    public static func fetch(root: URL, reporter: Reporter) throws -> [URL] {
        let third = root.appendingPathComponent(DebianKernel.folder)
        let image = try DebianKernel.existingImage(in: third) ?? DebianKernel.fetch(root: root, reporter: reporter)
        let version = String(image.lastPathComponent.dropFirst("vmlinuz-".count))
        let target = root.appendingPathComponent(folder(version: version))
        // A folder kept from before a module was wanted is fetched again.
        if let kept = existing(in: target), hasWanted(kept) { return kept }

        let work = third.appendingPathComponent("modules-\(version).tmp-\(getpid())")
        try? FileManager.default.removeItem(at: work)
        defer { try? FileManager.default.removeItem(at: work) }
        let archive: URL
        do {
            archive = try DebianPackage.download("linux-image-\(version)", into: work, reporter: reporter)
        } catch {
            // Debian serves only its current kernels: an older fetched one
            // has no package to take the modules from any more.
            throw XToolError.missingInput("the modules of \(image.lastPathComponent) come from linux-image-\(version), which apt-get could not download (\(error)); if Debian has a newer kernel, delete build/third-party/vmlinuz* and run xtool fetch linux again")
        }
        let tree = work.appendingPathComponent("tree")
        let moduleFolder = "lib/modules/\(version)"
        try DebianPackage.extract(members: ["./\(moduleFolder)/modules.order"], of: archive, into: tree)
        // modules.order lists every module's path (kernel/fs/ext4/ext4.ko).
        let orderText = try String(contentsOf: tree.appendingPathComponent("\(moduleFolder)/modules.order"), encoding: .utf8)
        var paths: [String: String] = [:]
        for line in orderText.split(separator: "\n") {
            paths[KernelModuleInfo.name(ofFile: String(line))] = String(line)
        }
        // Each round unpacks the modules found missing by the one before.
        var unpacked: [String: URL] = [:]
        var order: [String] = []
        while true {
            var missing: Set<String> = []
            do {
                order = try KernelModuleInfo.loadOrder(wanted, providers: providers) { name in
                    if let file = unpacked[name] { return KernelModuleInfo(try decompressed(file)) }
                    guard paths[name] != nil else { return nil }
                    missing.insert(name)
                    return KernelModuleInfo(name: name)
                }
            }
            if missing.isEmpty { break }
            // The package may lack modules.order's path (a compressed .ko.xz): match the name.
            let members = missing.sorted().map { "./\(moduleFolder)/\(paths[$0]!.split(separator: "/").dropLast().joined(separator: "/"))/\(paths[$0]!.split(separator: "/").last!)*" }
            try DebianPackage.extract(members: members, of: archive, into: tree)
            for name in missing {
                let parent = tree.appendingPathComponent(moduleFolder).appendingPathComponent(paths[name]!).deletingLastPathComponent()
                let base = (paths[name]! as NSString).lastPathComponent
                let files = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
                guard let file = files.first(where: { $0.hasPrefix(base) }) else {
                    throw XToolError.missingInput("linux-image-\(version) has no \(paths[name]!)")
                }
                unpacked[name] = parent.appendingPathComponent(file)
            }
        }
        let staging = work.appendingPathComponent("modules")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        var names: [String] = []
        for name in order {
            // The kernel's own file name (xen-blkfront.ko), uncompressed.
            let file = (paths[name]! as NSString).lastPathComponent
            try decompressed(unpacked[name]!).write(to: staging.appendingPathComponent(file))
            names.append(file)
        }
        try (names.joined(separator: "\n") + "\n").write(to: staging.appendingPathComponent(loadOrderName), atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.moveItem(at: staging, to: target)
        reporter.line("fetch: \(folder(version: version))/: \(names.joined(separator: " "))")
        guard let modules = existing(in: target) else {
            throw XToolError.missingInput("\(target.path) is incomplete")
        }
        return modules
    }

    /// Whether `files` include every wanted module.
    static func hasWanted(_ files: [URL]) -> Bool {
        let names = Set(files.map { KernelModuleInfo.name(ofFile: $0.lastPathComponent) })
        return wanted.allSatisfy(names.contains)
    }

    /// The modules of a finished folder, in load order; nil if it is not complete.
    static func existing(in folder: URL) -> [URL]? {
        guard let text = try? String(contentsOf: folder.appendingPathComponent(loadOrderName), encoding: .utf8) else { return nil }
        let files = text.split(separator: "\n").map { folder.appendingPathComponent(String($0)) }
        guard !files.isEmpty, files.allSatisfy({ FileManager.default.fileExists(atPath: $0.path) }) else { return nil }
        return files
    }

    /// A module's bytes, uncompressed (busybox's insmod reads plain .ko
    /// files only; Debian 12's kernel ships them plain, later ones may not).
    static func decompressed(_ file: URL) throws -> Data {
        let tool: (String, String)? = switch file.pathExtension {
        case "xz": ("xz", "xz-utils")
        case "zst": ("zstd", "zstd")
        case "gz": ("gzip", "gzip")
        default: nil
        }
        guard let (name, package) = tool else { return try Data(contentsOf: file) }
        guard let program = ExecutableLookup.find(name) else {
            throw XToolError.hostToolMissing(name: name, packages: [package], reason: "needed to uncompress \(file.lastPathComponent)")
        }
        let output = file.deletingPathExtension()
        let status = try CommandRunner.run(program, ["-dkc", file.path], outputFile: output)
        guard status == 0 else { throw XToolError.stepFailed(step: "uncompressing \(file.lastPathComponent)", exitCode: status) }
        return try Data(contentsOf: output)
    }
}
