/// Dom0's manifest: boot module 0, marked by the command line word
/// "manifest", a text file with one line per domain to build:
///
///     # comment (the first line is one)
///     domain name=web kernel=1 memory=8 vcpus=1 on_poweroff=destroy on_reboot=destroy on_crash=destroy stop_after=none cmdline=mode=count lines=3
///     domain name=linux kernel=2 ramdisk=3 memory=256 vcpus=1 on_crash=preserve stop_after=none cmdline=console=hvc0
///     domain name=rooted kernel=2 ramdisk=3 memory=256 disk=0,51712,w cmdline=console=hvc0 root=/dev/xvda
///
/// name, kernel (a boot module index) and memory (MiB) are required;
/// ramdisk (a boot module index) is optional;
/// vcpus must be 1; on_poweroff, on_reboot and on_crash are destroy (the
/// default) or preserve;
/// stop_after is none (the default) or others; disk=POSITION,DEVICE,MODE
/// (DiskAssignment) may come up to four times; cmdline= takes the rest of
/// the line, spaces included, and must come last. Blank lines and lines
/// starting with # are ignored; a line with a problem is reported and
/// skipped, and the others are still built.
enum Manifest {
    /// The largest domain a line may ask for: the hypervisor hands out
    /// frames below 4 GiB only.
    static let maximumMemoryMiB: UInt64 = 4096

    /// The module's command line ends in the word "manifest" (the loader
    /// may put the file's name before it).
    static func isManifest(_ module: StartInfoModule) -> Bool {
        guard let last = module.commandLine?.words.last else { return false }
        return last.equals("manifest")
    }

    /// The domains the manifest asks for, in its order. Problems are
    /// printed here, one line each.
    static func domains(in text: GuestString) -> [DomainConfig] {
        var configs: [DomainConfig] = []
        for (index, rawLine) in text.lines.enumerated() {
            let line = rawLine.trimmed
            if line.isEmpty || line.hasPrefix("#") { continue }
            do throws(ManifestProblem) {
                configs.append(try parse(line, lineNumber: index + 1))
            } catch {
                // xtool reads this line too (XToolKit's DomainBuildFailure): keep its form.
                print("dom0: manifest line \(index + 1): \(error.message): line skipped")
            }
        }
        return configs
    }

    static func parse(_ line: GuestString, lineNumber: Int) throws(ManifestProblem) -> DomainConfig {
        let (keyword, afterKeyword) = firstWord(of: line)
        guard keyword.equals("domain") else {
            throw ManifestProblem("expected a line starting with \"domain\", found \"\(keyword.string)\"")
        }
        var config = DomainConfig(name: GuestString(""), kernelModule: -1, ramdiskModule: nil, memoryMiB: 0, onPoweroff: .destroy, onReboot: .destroy, onCrash: .destroy,
                                  stopsAfterOthers: false, commandLine: GuestString(""), lineNumber: lineNumber)
        var rest = afterKeyword.trimmed
        while !rest.isEmpty {
            // cmdline= swallows the rest of the line, spaces and all.
            if rest.hasPrefix("cmdline=") {
                config.commandLine = rest.dropping(first: 8)
                break
            }
            let (word, after) = firstWord(of: rest)
            rest = after.trimmed
            guard let (key, value) = word.split(at: UInt8(ascii: "=")) else {
                throw ManifestProblem("\"\(word.string)\" is not key=value")
            }
            try apply(key, value, to: &config)
        }
        guard !config.name.isEmpty else { throw ManifestProblem("name= is missing") }
        guard config.kernelModule >= 0 else { throw ManifestProblem("kernel= is missing") }
        guard config.memoryMiB > 0 else { throw ManifestProblem("memory= is missing") }
        return config
    }

    private static func apply(_ key: GuestString, _ value: GuestString, to config: inout DomainConfig) throws(ManifestProblem) {
        if key.equals("name") {
            guard value.bytes.count >= 1 && value.bytes.count <= Domctl.maximumNameLength,
                  value.bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw ManifestProblem("name=\(value.string): a name is 1 to \(Domctl.maximumNameLength) printable characters")
            }
            config.name = value
        } else if key.equals("kernel") {
            guard let index = value.decimalValue, index < 1024 else {
                throw ManifestProblem("kernel=\(value.string) is not a boot module number")
            }
            config.kernelModule = Int(index)
        } else if key.equals("ramdisk") {
            // Whether the module exists is the builder's check, as for kernel=.
            guard let index = value.decimalValue, index < 1024 else {
                throw ManifestProblem("ramdisk=\(value.string) is not a boot module number")
            }
            config.ramdiskModule = Int(index)
        } else if key.equals("memory") {
            guard let mebibytes = value.decimalValue, mebibytes >= 1, mebibytes <= maximumMemoryMiB else {
                throw ManifestProblem("memory=\(value.string): give 1 to \(maximumMemoryMiB) (MiB)")
            }
            config.memoryMiB = mebibytes
        } else if key.equals("vcpus") {
            guard value.equals("1") else { throw ManifestProblem("vcpus=\(value.string): only 1 vCPU per domain is supported") }
        } else if key.equals("on_poweroff") {
            config.onPoweroff = try endAction(key, value)
        } else if key.equals("on_reboot") {
            config.onReboot = try endAction(key, value)
        } else if key.equals("on_crash") {
            config.onCrash = try endAction(key, value)
        } else if key.equals("disk") {
            guard config.disks.count < DiskAssignment.positionCount else {
                throw ManifestProblem("disk=\(value.string): at most \(DiskAssignment.positionCount) disks per domain")
            }
            config.disks.append(try DiskAssignment.parse(value))
        } else if key.equals("stop_after") {
            if value.equals("none") { config.stopsAfterOthers = false }
            else if value.equals("others") { config.stopsAfterOthers = true }
            else { throw ManifestProblem("stop_after=\(value.string): give none or others") }
        } else {
            throw ManifestProblem("unknown key \"\(key.string)\"")
        }
    }

    private static func endAction(_ key: GuestString, _ value: GuestString) throws(ManifestProblem) -> DomainConfig.EndAction {
        if value.equals("destroy") { return .destroy }
        if value.equals("preserve") { return .preserve }
        throw ManifestProblem("\(key.string)=\(value.string): give destroy or preserve")
    }

    /// The bytes up to the first blank, and everything after that blank.
    private static func firstWord(of text: GuestString) -> (GuestString, GuestString) {
        guard let end = text.bytes.firstIndex(where: GuestString.isBlank) else {
            return (text, GuestString(""))
        }
        return (text.slice(0..<end), text.slice(end + 1..<text.bytes.count))
    }
}
