import Foundation

/// Reads the domain config files of one boot (`--domain FILE`, repeatable)
/// and checks what no single file can: unique names, and kernels that exist.
public enum DomainConfigLoader {
    /// Domain 0's name: no config may take it.
    public static let dom0Name = "dom0"

    /// Parses every file (relative paths start at `folder`) and checks that
    /// the names are unique. Collects the problems of all files before throwing.
    public static func load(_ paths: [String], relativeTo folder: URL) throws(DomainConfigErrors) -> [DomainConfig] {
        var configs: [DomainConfig] = []
        var errors: [DomainConfigError] = []
        for path in paths {
            let file = path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
            do throws(DomainConfigErrors) {
                let text = try read(file, path: path)
                let parser = DomainConfigParser(path: path, folder: file.deletingLastPathComponent())
                configs.append(try parser.parse(text))
            } catch {
                errors += error.errors
            }
        }
        errors += nameClashes(configs)
        guard errors.isEmpty else { throw DomainConfigErrors(errors) }
        return configs
    }

    /// Every kernel and ramdisk must be a readable regular file; the problem
    /// is shown at the config's kernel or ramdisk line. Called after the build, so a config may
    /// name an image (build/guests/worker.elf) that the build makes.
    public static func checkKernelFiles(_ configs: [DomainConfig]) throws(DomainConfigErrors) {
        var errors: [DomainConfigError] = []
        for config in configs {
            if let problem = ModuleFileProblem.of(config.kernel) {
                errors.append(DomainConfigError(
                    path: config.source.path, line: config.source.kernelLine,
                    message: "kernel \(config.kernel.path) \(problem)"
                ))
            }
            if let ramdisk = config.ramdisk, let problem = ModuleFileProblem.of(ramdisk) {
                errors.append(DomainConfigError(
                    path: config.source.path, line: config.source.ramdiskLine,
                    message: "ramdisk \(ramdisk.path) \(problem)"
                ))
            }
        }
        guard errors.isEmpty else { throw DomainConfigErrors(errors) }
    }

    /// Every disk must be a regular file whose size is a non-zero multiple
    /// of 512 (a whole number of sectors), writable unless read-only, and
    /// each file must belong to one disk of one domain: two writers of one
    /// file system would wreck it. Shown at the config's disk line. Called
    /// at boot, so a config may name an image made just before (xtool rootfs).
    public static func checkDiskFiles(_ configs: [DomainConfig]) throws(DomainConfigErrors) {
        var errors: [DomainConfigError] = []
        var firstUse: [String: (config: DomainConfig, disk: DiskConfig)] = [:]
        for config in configs {
            for disk in config.disks {
                func report(_ message: String) {
                    errors.append(DomainConfigError(path: config.source.path, line: disk.line, message: "disk \(disk.vdev): \(message)"))
                }
                if let problem = ModuleFileProblem.of(disk.file) {
                    report("\(disk.file.path) \(problem)")
                    continue
                }
                let size = ATADiskLayout.fileSize(disk.file)
                if size == 0 || size % DiskConfig.sectorSize != 0 {
                    report("\(disk.file.path) is \(size) bytes: a disk is a non-zero multiple of \(DiskConfig.sectorSize) bytes (whole sectors)")
                }
                if !disk.readOnly && access(disk.file.path, W_OK) != 0 {
                    report("\(disk.file.path) is not writable (give access ro for a read-only disk)")
                }
                // The same file under two names (a symbolic link, ../) is still one file.
                let identity = disk.file.resolvingSymlinksInPath().path
                if let first = firstUse[identity] {
                    let owner = first.config.name == config.name ? "this domain's \(first.disk.vdev)" : "\(first.config.name)'s \(first.disk.vdev)"
                    report("\(disk.file.path) is already \(owner) (\(first.config.source.path):\(first.disk.line)): each disk file belongs to one domain")
                } else {
                    firstUse[identity] = (config, disk)
                }
            }
        }
        guard errors.isEmpty else { throw DomainConfigErrors(errors) }
    }

    /// A name used twice, or dom0's name, is reported where it is set.
    static func nameClashes(_ configs: [DomainConfig]) -> [DomainConfigError] {
        var firstUse: [String: DomainConfig.Source] = [:]
        var errors: [DomainConfigError] = []
        for config in configs {
            let source = config.source
            if config.name == dom0Name {
                errors.append(DomainConfigError(path: source.path, line: source.nameLine, message: "name \"\(dom0Name)\" is domain 0's: choose another"))
            } else if let first = firstUse[config.name] {
                errors.append(DomainConfigError(
                    path: source.path, line: source.nameLine,
                    message: "name \"\(config.name)\" is already used by \(first.path):\(first.nameLine)"
                ))
            } else {
                firstUse[config.name] = source
            }
        }
        return errors
    }

    /// The file's text, or an error for line 0 (the file as a whole).
    static func read(_ file: URL, path: String) throws(DomainConfigErrors) -> String {
        func failure(_ why: String) -> DomainConfigErrors {
            DomainConfigErrors([DomainConfigError(path: path, line: 0, message: "cannot read the domain config: \(why)")])
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder) else {
            throw failure("no such file")
        }
        guard !isFolder.boolValue else { throw failure("it is a folder") }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw failure("permission denied")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw failure("it is not UTF-8 text")
        }
        return text
    }
}
