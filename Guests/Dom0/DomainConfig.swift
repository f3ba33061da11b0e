/// One "domain ..." line of the manifest: what dom0 is to build and how to
/// treat the domain when it ends.
struct DomainConfig {
    /// What to do with a domain that has shut down (on_poweroff,
    /// on_reboot, on_crash).
    enum EndAction {
        /// Destroy it as soon as its end is reported (Xen's default for
        /// poweroff and crash).
        case destroy
        /// Keep it, memory and all, for inspection, until dom0 finishes.
        case preserve
    }

    /// 1 to 15 printable bytes: it travels in the 16-byte domain handle.
    var name: GuestString
    /// The boot module holding the kernel (module 0 is the manifest).
    var kernelModule: Int
    /// The boot module to load after the kernel as its PVH module 0 (a
    /// Linux kernel's initrd); nil for none.
    var ramdiskModule: Int?
    var memoryMiB: UInt64
    var onPoweroff: EndAction
    var onReboot: EndAction
    var onCrash: EndAction
    /// A service-like domain (one that never ends by itself): destroyed
    /// once every other domain has ended.
    var stopsAfterOthers: Bool
    /// The machine's disks this domain gets, served by dom0's blkback.
    var disks: [DiskAssignment] = []
    /// The kernel's command line; may be empty or hold spaces.
    var commandLine: GuestString
    /// Where it was in the manifest, for messages.
    var lineNumber: Int

    static let pageSize: UInt64 = 4096

    var memoryBytes: UInt64 { memoryMiB << 20 }
    var memoryPages: UInt64 { memoryBytes / Self.pageSize }

    /// The action for a domain that shut down for `reason`; the reasons
    /// without a key of their own (suspend, watchdog, soft reset) destroy.
    func action(for reason: ShutdownReason) -> EndAction {
        switch reason {
        case .poweroff: onPoweroff
        case .reboot: onReboot
        case .crash: onCrash
        default: .destroy
        }
    }
}
