import Foundation

/// What to boot and how: the input of `BootRunner.run`.
public struct BootRequest: Sendable {
    public static let defaultCmdline = "console=com1"

    public var machine: Machine
    /// The hypervisor's command line.
    public var cmdline: String
    /// Boot modules; nil means the built guest images (Dom0 first), no arguments.
    public var modules: [BootModule]?
    /// Seconds; nil means the machine's default.
    public var timeout: Double?
    /// CPU model; nil means "max" (qemu), "host" (kvm), corei7_skylake_x (bochs).
    public var cpuModel: String?
    /// Stream the serial console to stdout while it runs.
    public var echo: Bool
    /// nil: found from the current directory upward.
    public var projectRoot: URL?
    /// xtool's own progress lines (build steps, machine choice, summary).
    public var reporter: Reporter
    /// Install missing emulator packages with apt-get when possible.
    public var mayInstallPackages: Bool

    public init(
        machine: Machine = .auto,
        cmdline: String = BootRequest.defaultCmdline,
        modules: [BootModule]? = nil,
        timeout: Double? = nil,
        cpuModel: String? = nil,
        echo: Bool = true,
        projectRoot: URL? = nil,
        reporter: Reporter = .standardOutput,
        mayInstallPackages: Bool = true
    ) {
        self.machine = machine
        self.cmdline = cmdline
        self.modules = modules
        self.timeout = timeout
        self.cpuModel = cpuModel
        self.echo = echo
        self.projectRoot = projectRoot
        self.reporter = reporter
        self.mayInstallPackages = mayInstallPackages
    }
}
