import Foundation

/// One guest domain for dom0 to build, read from an xl.cfg-style file
/// (`xtool boot --domain FILE`). See `DomainConfigParser` for the syntax.
public struct DomainConfig: Sendable, Equatable {
    /// What dom0 does with a domain that has shut down (xl.cfg's
    /// on_poweroff, on_reboot, on_crash). xl's restart and coredump
    /// actions are not offered: dom0 does not rebuild domains.
    public enum EndAction: String, Sendable, CaseIterable {
        /// Free it at once.
        case destroy
        /// Keep it (memory and state) for a post-mortem look.
        case preserve
    }

    /// When dom0 ends the domain on its own.
    public enum StopAfter: String, Sendable, CaseIterable {
        /// Never: the domain ends by itself.
        case none
        /// Once every domain without `stop_after` has ended (for a guest
        /// that never ends, say a spinner that only makes noise).
        case others
    }

    public static let defaultMemoryMiB = 16
    public static let memoryRangeMiB = 4...1024
    public static let maximumNameLength = 15

    /// Unique across the boot: [A-Za-z0-9_-], 1 to 15 characters.
    public var name: String
    /// The kernel image (a PVH ELF), resolved against the config file's folder.
    public var kernel: URL
    public var memoryMiB: Int
    /// Always 1 for now: the hypervisor runs one vCPU per domain.
    public var vcpus: Int
    /// The kernel's command line: `cmdline`, or xl's `extra` (a Linux
    /// kernel's), whichever the file sets (it may not set both).
    public var cmdline: String
    /// xl's `ramdisk`: a file loaded after the kernel and handed to it as
    /// its first PVH module (Linux takes that as its initrd); nil for none.
    public var ramdisk: URL?
    public var onPoweroff: EndAction
    public var onReboot: EndAction
    public var onCrash: EndAction
    public var stopAfter: StopAfter
    /// xl's `disk` list, in its order: files dom0 serves as virtual block
    /// devices (see `DiskConfig`); each file belongs to one domain only.
    public var disks: [DiskConfig]
    /// Where it came from, for messages about it after parsing
    /// (duplicate names, a kernel that is missing after the build).
    public var source: Source

    /// A config file as the user named it, and the lines of its keys.
    public struct Source: Sendable, Equatable {
        /// The path as given on the command line (shown in messages).
        public var path: String
        public var nameLine: Int
        public var kernelLine: Int
        /// 0 when there is no `ramdisk` line.
        public var ramdiskLine: Int

        public init(path: String, nameLine: Int, kernelLine: Int, ramdiskLine: Int = 0) {
            self.path = path
            self.nameLine = nameLine
            self.kernelLine = kernelLine
            self.ramdiskLine = ramdiskLine
        }
    }

    public init(
        name: String, kernel: URL, memoryMiB: Int = DomainConfig.defaultMemoryMiB, vcpus: Int = 1,
        cmdline: String = "", ramdisk: URL? = nil, onPoweroff: EndAction = .destroy, onReboot: EndAction = .destroy, onCrash: EndAction = .destroy, stopAfter: StopAfter = .none,
        disks: [DiskConfig] = [],
        source: Source = Source(path: "", nameLine: 0, kernelLine: 0)
    ) {
        self.name = name
        self.kernel = kernel
        self.memoryMiB = memoryMiB
        self.vcpus = vcpus
        self.cmdline = cmdline
        self.ramdisk = ramdisk
        self.onPoweroff = onPoweroff
        self.onReboot = onReboot
        self.onCrash = onCrash
        self.stopAfter = stopAfter
        self.disks = disks
        self.source = source
    }
}
