/// One "domain ..." line of the manifest: what dom0 is to build and how to
/// treat the domain when it ends.
struct DomainConfig {
    /// What to do with a domain that crashed.
    enum CrashAction {
        /// Destroy it as soon as its end is reported (Xen's default).
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
    var onCrash: CrashAction
    /// A service-like domain (one that never ends by itself): destroyed
    /// once every other domain has ended.
    var stopsAfterOthers: Bool
    /// The kernel's command line; may be empty or hold spaces.
    var commandLine: GuestString
    /// Where it was in the manifest, for messages.
    var lineNumber: Int

    static let pageSize: UInt64 = 4096

    var memoryBytes: UInt64 { memoryMiB << 20 }
    var memoryPages: UInt64 { memoryBytes / Self.pageSize }
}
