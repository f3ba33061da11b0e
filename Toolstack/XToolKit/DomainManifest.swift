import Foundation

/// The manifest module: the domains dom0 should build, one line each, in a
/// form that is easy to parse in a guest (no quoting).
///
/// The boot modules are dom0, this manifest, then each distinct file the
/// domains name (kernels and ramdisks) once, so dom0 sees the manifest as
/// its module 0 and the files as 1, 2, ...:
///
///     # domains for dom0 to build (xtool boot); kernel=N is dom0's boot module N
///     domain name=alpha kernel=1 memory=16 vcpus=1 on_poweroff=destroy on_reboot=destroy on_crash=destroy stop_after=none cmdline=mode=count lines=5
///     domain name=linux kernel=2 ramdisk=3 memory=256 vcpus=1 on_poweroff=destroy on_reboot=destroy on_crash=destroy stop_after=none cmdline=console=hvc0
///
/// `ramdisk=` is there only for a domain with a ramdisk. Each of the
/// domain's disks (its `disk` list, in order) is one word
/// `disk=POSITION,VIRTUALDEVICE,MODE` before cmdline=: its position on the
/// emulated IDE controller (`ATADiskLayout`: 0 primary master ... 3
/// secondary slave), Xen's virtual-device number (xvda = 51712) and `w` or
/// `r` (read-only):
///
///     domain name=linux kernel=2 ramdisk=3 memory=256 vcpus=1 on_poweroff=destroy on_reboot=destroy on_crash=destroy stop_after=none disk=0,51712,w cmdline=console=hvc0 root=/dev/xvda
///
/// `cmdline=` comes last and takes the rest of the line, spaces included.
public struct DomainManifest: Sendable, Equatable {
    /// The manifest module's own arguments: how dom0 recognizes it.
    public static let moduleArguments = "manifest"
    public static let header = "# domains for dom0 to build (xtool boot); kernel=N is dom0's boot module N"

    public var domains: [DomainConfig]
    /// Distinct files (kernels and ramdisks), in order of first use, a
    /// domain's kernel before its ramdisk; files[i] is dom0's module i + 1.
    public var files: [URL]

    /// The IDE position of the first disk of the boot; the others follow
    /// (`ATADiskLayout.firstPosition(on:)`: 0 on QEMU, 1 on Bochs).
    public var firstDiskPosition: Int

    public init(domains: [DomainConfig], firstDiskPosition: Int = 0) {
        self.domains = domains
        self.firstDiskPosition = firstDiskPosition
        var files: [URL] = []
        for domain in domains {
            for file in [domain.kernel] + (domain.ramdisk.map { [$0] } ?? [])
            where !files.contains(where: { $0.path == file.path }) {
                files.append(file)
            }
        }
        self.files = files
    }

    /// The dom0 module index of a domain's kernel (the manifest is module 0).
    public func kernelModuleIndex(_ domain: DomainConfig) -> Int {
        moduleIndex(of: domain.kernel)
    }

    /// The dom0 module index of a domain's ramdisk; nil if it has none.
    public func ramdiskModuleIndex(_ domain: DomainConfig) -> Int? {
        domain.ramdisk.map(moduleIndex(of:))
    }

    private func moduleIndex(of file: URL) -> Int {
        (files.firstIndex { $0.path == file.path } ?? 0) + 1
    }

    /// The `disk=` words of each domain, in order.
    public var diskWords: [[String]] {
        var position = firstDiskPosition
        return domains.map { domain in
            domain.disks.map { disk in
                defer { position += 1 }
                return "disk=\(position),\(disk.virtualDevice),\(disk.readOnly ? "r" : "w")"
            }
        }
    }

    public var text: String {
        let words = diskWords
        let lines = domains.enumerated().map { index, domain in
            "domain name=\(domain.name) kernel=\(kernelModuleIndex(domain))"
                + (ramdiskModuleIndex(domain).map { " ramdisk=\($0)" } ?? "")
                + " memory=\(domain.memoryMiB)"
                + " vcpus=\(domain.vcpus) on_poweroff=\(domain.onPoweroff.rawValue)"
                + " on_reboot=\(domain.onReboot.rawValue) on_crash=\(domain.onCrash.rawValue)"
                + " stop_after=\(domain.stopAfter.rawValue)"
                + words[index].map { " " + $0 }.joined()
                + " cmdline=\(domain.cmdline)"
        }
        return ([Self.header] + lines).joined(separator: "\n") + "\n"
    }

    /// The line of `text` (counted from 1) that holds `domains[index]`: dom0
    /// names a line it could not read by this number.
    public func lineNumber(ofDomainAt index: Int) -> Int {
        index + 2   // after the header
    }

    /// The modules that follow dom0: the manifest, then the files.
    public func modules(manifestFile: URL) -> [BootModule] {
        [BootModule(file: manifestFile, arguments: Self.moduleArguments)] + files.map { BootModule(file: $0) }
    }
}
