import Foundation

/// Reads one domain config: `key = value` lines in the style of xl.cfg.
///
///     # comments and blank lines are skipped
///     name = "alpha"           required: [A-Za-z0-9_-], 1 to 15 characters
///     kernel = "worker.elf"    required: relative to this file's folder, or absolute
///     memory = 16              MiB, 4 to 1024 (default 16)
///     vcpus = 1                only 1 is supported
///     cmdline = "mode=count"   the kernel's command line (default "")
///     extra = "console=hvc0"   xl's name for a Linux kernel's command line:
///                              the same as cmdline (xl appends extra to a
///                              root= it makes; here extra says root= itself:
///                              "console=hvc0 root=/dev/xvda"), so a file may
///                              set one or the other
///     ramdisk = "initrd.cpio"  loaded after the kernel, its first PVH module
///     on_poweroff = "destroy"  or "preserve" (also on_reboot, on_crash)
///     stop_after = "others"    dom0 destroys it once every domain without it has ended
///     disk = [ "rootfs.img,raw,xvda,rw" ]   xl's disks (see `DiskConfig`): target,format,vdev,access;
///                              format raw, vdev xvda..xvdp, access rw|w (default) or ro|r
///
/// Every problem is collected with its line, so one run shows them all.
/// Whether the kernel exists is checked later (`DomainConfigLoader`): it may
/// be an image that xtool is about to build.
public struct DomainConfigParser {
    /// The file as the user named it: shown in messages.
    public var path: String
    /// Where a relative `kernel` path starts.
    public var folder: URL

    public static let keys = ["name", "kernel", "memory", "vcpus", "cmdline", "extra", "ramdisk", "on_poweroff", "on_reboot", "on_crash", "stop_after", "disk"]

    public init(path: String, folder: URL) {
        self.path = path
        self.folder = folder
    }

    public func parse(_ text: String) throws(DomainConfigErrors) -> DomainConfig {
        var errors: [DomainConfigError] = []
        var seen: [String: Int] = [:]
        var fields = Fields()
        let lines = Self.lines(of: text)
        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            func report(_ message: String) {
                errors.append(DomainConfigError(path: path, line: number, message: message))
            }
            let key: String
            let value: DomainConfigLine.Value
            switch DomainConfigLine.parse(line) {
            case .failure(let error):
                report(error.message)
                continue
            case .success(.blank):
                continue
            case .success(.assignment(let k, let v)):
                (key, value) = (k, v)
            }
            guard Self.keys.contains(key) else {
                report("unknown key \(key) (known: \(Self.keys.joined(separator: ", ")))")
                continue
            }
            if let first = seen[key] {
                report("\(key) is set twice (first on line \(first))")
                continue
            }
            seen[key] = number
            if let problem = fields.set(key, to: value, line: number, folder: folder) {
                report(problem)
            }
        }
        if let cmdlineLine = seen["cmdline"], let extraLine = seen["extra"] {
            errors.append(DomainConfigError(
                path: path, line: max(cmdlineLine, extraLine),
                message: "cmdline (line \(cmdlineLine)) and extra (line \(extraLine)) are both the kernel's command line: set only one"
            ))
        }
        let lastLine = max(lines.count, 1)
        for key in ["name", "kernel"] where seen[key] == nil {
            errors.append(DomainConfigError(path: path, line: lastLine, message: "missing required key \(key)"))
        }
        guard errors.isEmpty, let config = fields.config(path: path) else {
            throw DomainConfigErrors(errors)
        }
        return config
    }

    /// The file's lines, ended by "\n" or "\r\n" (one Character in Swift);
    /// a final line end does not start another line.
    static func lines(of text: String) -> [Substring] {
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}

/// The values read so far, each checked as it is set.
private struct Fields {
    var name: (value: String, line: Int)?
    var kernel: (value: URL, line: Int)?
    var memoryMiB = DomainConfig.defaultMemoryMiB
    var vcpus = 1
    var cmdline = ""
    var ramdisk: (value: URL, line: Int)?
    var onPoweroff = DomainConfig.EndAction.destroy
    var onReboot = DomainConfig.EndAction.destroy
    var onCrash = DomainConfig.EndAction.destroy
    var stopAfter = DomainConfig.StopAfter.none
    var disks: [DiskConfig] = []

    /// Sets one key; returns what is wrong with the value, if anything.
    mutating func set(_ key: String, to value: DomainConfigLine.Value, line: Int, folder: URL) -> String? {
        switch (key, value) {
        case ("name", .string(let text)):
            if let problem = Self.nameProblem(text) { return problem }
            name = (text, line)
        case ("kernel", .string(let text)):
            guard !text.isEmpty else { return "kernel is empty: name a kernel image" }
            kernel = (Self.file(text, in: folder), line)
        case ("ramdisk", .string(let text)):
            guard !text.isEmpty else { return "ramdisk is empty: name a file, or leave the key out" }
            ramdisk = (Self.file(text, in: folder), line)
        case ("memory", .integer(let number)):
            guard DomainConfig.memoryRangeMiB.contains(number) else {
                let range = DomainConfig.memoryRangeMiB
                return "memory = \(number): must be \(range.lowerBound) to \(range.upperBound) (MiB)"
            }
            memoryMiB = number
        case ("vcpus", .integer(let number)):
            guard number == 1 else { return "vcpus = \(number): only 1 vCPU per domain is supported" }
            vcpus = number
        case ("cmdline", .string(let text)), ("extra", .string(let text)):
            // Both set is reported once the whole file is read.
            cmdline = text
        case ("on_poweroff", .string(let text)), ("on_reboot", .string(let text)), ("on_crash", .string(let text)):
            guard let action = DomainConfig.EndAction(rawValue: text) else {
                return "\(key) = \"\(text)\": must be \"destroy\" or \"preserve\" (dom0 restarts no domain)"
            }
            switch key {
            case "on_poweroff": onPoweroff = action
            case "on_reboot": onReboot = action
            default: onCrash = action
            }
        case ("stop_after", .string(let text)):
            guard let stop = DomainConfig.StopAfter(rawValue: text) else {
                return "stop_after = \"\(text)\": must be \"others\" (or \"none\", the default)"
            }
            stopAfter = stop
        case ("disk", .list(let specs)):
            return setDisks(specs, line: line, folder: folder)
        case ("disk", _):
            return "disk must be a list of \"strings\": disk = [ \"FILE,raw,xvda,rw\" ]"
        case (_, .list):
            return "\(key) takes one value, not a [list]"
        case (_, .integer(let number)):
            return "\(key) must be a \"string\", not the integer \(number)"
        case (_, .string(let text)):
            return "\(key) must be an integer, not the string \"\(text)\""
        }
        return nil
    }

    /// Every disk of the list, or the problems of the specs (one message,
    /// numbered from 1 when there are several), and vdevs given twice.
    mutating func setDisks(_ specs: [String], line: Int, folder: URL) -> String? {
        var problems: [String] = []
        var parsed: [DiskConfig] = []
        for (index, spec) in specs.enumerated() {
            let prefix = specs.count > 1 ? "disk \(index + 1): " : "disk "
            switch DiskConfig.parse(spec, folder: folder, line: line) {
            case .failure(let error):
                problems.append(prefix + error.message)
            case .success(let disk):
                if parsed.contains(where: { $0.vdev == disk.vdev }) {
                    problems.append(prefix + "vdev \(disk.vdev) is given to two disks of this domain")
                } else {
                    parsed.append(disk)
                }
            }
        }
        guard problems.isEmpty else { return problems.joined(separator: "; ") }
        disks = parsed
        return nil
    }

    /// A path from the file: relative to the config's folder, or absolute.
    static func file(_ text: String, in folder: URL) -> URL {
        let file = text.hasPrefix("/") ? URL(fileURLWithPath: text) : folder.appendingPathComponent(text)
        return file.standardizedFileURL
    }

    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty {
            return "name is empty"
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "-": true
            default: false
            }
        }
        if !allowed {
            return "name \"\(name)\" may hold only letters, digits, _ and -"
        }
        if name.count > DomainConfig.maximumNameLength {
            return "name \"\(name)\" is longer than \(DomainConfig.maximumNameLength) characters"
        }
        return nil
    }

    /// The config, if both required keys were set.
    func config(path: String) -> DomainConfig? {
        guard let name, let kernel else { return nil }
        return DomainConfig(
            name: name.value, kernel: kernel.value, memoryMiB: memoryMiB, vcpus: vcpus,
            cmdline: cmdline, ramdisk: ramdisk?.value, onPoweroff: onPoweroff, onReboot: onReboot, onCrash: onCrash, stopAfter: stopAfter, disks: disks,
            source: DomainConfig.Source(path: path, nameLine: name.line, kernelLine: kernel.line,
                                        ramdiskLine: ramdisk?.line ?? 0)
        )
    }
}
