import Foundation

/// Assembles build/bochs/boot.iso: GRUB (BIOS flavour) that boots the
/// hypervisor with its modules through multiboot. Rebuilt only when the
/// images, the module list or the grub-mkrescue command change.
struct BochsISOBuilder {
    var root: URL
    var kernel: URL
    var cmdline: String
    var modules: [BootModule]
    var reporter: Reporter

    /// Only what this boot needs keeps the ISO under 1 MB: multiboot loads the
    /// images, normal runs grub.cfg, iso9660 + biosdisk read the CD.
    static let grubModules = "multiboot normal iso9660 biosdisk"

    var folder: URL { root.appendingPathComponent("build/bochs", isDirectory: true) }
    var iso: URL { folder.appendingPathComponent("boot.iso") }

    /// Module file names inside the ISO's /boot, unique even if two paths share a name.
    var moduleFileNames: [String] {
        var used: Set<String> = ["hypervisor.elf"]
        return modules.map { module in
            var name = module.file.lastPathComponent
            var counter = 2
            while used.contains(name) {
                name = "\(counter)-\(module.file.lastPathComponent)"
                counter += 1
            }
            used.insert(name)
            return name
        }
    }

    var grubConfig: GrubConfig {
        GrubConfig(
            cmdline: cmdline,
            modules: zip(moduleFileNames, modules).map { GrubConfig.Module(fileName: $0, arguments: $1.arguments) }
        )
    }

    /// Besides the module list: no translations, fonts or themes, and `-no-pad`
    /// (passed on to xorriso) drops the 300 KiB of padding it adds by default.
    /// Together about 0.5 MB plus the images. (`--compress=xz` would save
    /// another 0.2 MB but makes GRUB under Bochs two seconds slower.)
    static func arguments(iso: String, isoRoot: String) -> [String] {
        [
            "-o", iso, "--install-modules=\(grubModules)",
            "--locales=", "--fonts=", "--themes=",
            isoRoot, "-no-pad",
        ]
    }

    /// Makes the ISO if anything changed; returns its path.
    func build(grubMkrescue: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // grub.cfg is kept outside the ISO tree too, written only when its text
        // changes, so its time stamp tells the up-to-date check about new arguments.
        let config = folder.appendingPathComponent("grub.cfg")
        let text = grubConfig.text
        if (try? String(contentsOf: config, encoding: .utf8)) != text {
            try text.write(to: config, atomically: true, encoding: .utf8)
        }
        let isoRoot = folder.appendingPathComponent("isoroot", isDirectory: true)
        let step = BuildStep(
            summary: "make build/bochs/boot.iso",
            tool: grubMkrescue,
            arguments: Self.arguments(iso: "build/bochs/boot.iso", isoRoot: "build/bochs/isoroot"),
            inputs: [config, kernel] + modules.map(\.file),
            output: iso
        )
        if UpToDateCheck.isUpToDate(step) {
            return iso
        }
        reporter.line("  \(step.summary)")
        try fillTree(isoRoot, config: config)
        UpToDateCheck.forget(step)
        // grub-mkrescue is chatty (xorriso's progress); keep it in a log, show it on failure.
        let log = folder.appendingPathComponent("grub-mkrescue.log")
        let status = try CommandRunner.run(step.tool, step.arguments, in: root, outputFile: log)
        guard status == 0 else {
            reporter.line((try? String(contentsOf: log, encoding: .utf8)) ?? "")
            throw XToolError.stepFailed(step: step.summary, exitCode: status)
        }
        try UpToDateCheck.record(step)
        reporter.line("boot.iso: \(ImageBuilder.fileSize(iso)) bytes")
        return iso
    }

    /// The ISO's file tree: /boot/hypervisor.elf, the modules, /boot/grub/grub.cfg.
    private func fillTree(_ isoRoot: URL, config: URL) throws {
        let files = FileManager.default
        try? files.removeItem(at: isoRoot)
        let boot = isoRoot.appendingPathComponent("boot", isDirectory: true)
        try files.createDirectory(at: boot.appendingPathComponent("grub"), withIntermediateDirectories: true)
        try files.copyItem(at: kernel, to: boot.appendingPathComponent("hypervisor.elf"))
        for (name, module) in zip(moduleFileNames, modules) {
            try files.copyItem(at: module.file, to: boot.appendingPathComponent(name))
        }
        try files.copyItem(at: config, to: boot.appendingPathComponent("grub/grub.cfg"))
    }
}
