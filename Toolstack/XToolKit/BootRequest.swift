import Foundation

/// What to boot and how: the input of `BootRunner.run`.
///
/// The boot modules, in order: dom0 (`dom0`), then, when there are domain
/// configs, the manifest and each distinct kernel (see `DomainManifest`),
/// then `extraModules`. The hypervisor builds dom0 from the first module and
/// hands it the rest as its PVH modules.
public struct BootRequest: Sendable {
    public static let defaultCmdline = "console=com1"
    /// The default dom0 image, relative to the project root.
    public static let defaultDom0 = "build/guests/dom0.elf"
    /// The machine's RAM in MiB unless --memory says otherwise.
    public static let defaultMemoryMB = 256
    /// What --memory accepts: enough for the hypervisor and a small dom0, up
    /// to what the hypervisor's identity map of the first 4 GiB covers.
    public static let memoryRangeMB = 64...4096

    public var machine: Machine
    /// The hypervisor's command line.
    public var cmdline: String
    /// Dom0's image and its arguments; nil means build/guests/dom0.elf, no arguments.
    public var dom0: BootModule?
    /// More modules after dom0 (and after the manifest and kernels).
    public var extraModules: [BootModule]
    /// Domains for dom0 to build (see `DomainConfigLoader`).
    public var domains: [DomainConfig]
    /// QEMU only: -icount shift=0, so the guest TSC counts instructions.
    public var icount: Bool
    /// Seconds; nil means the machine's default.
    public var timeout: Double?
    /// CPU model; nil means "max" (qemu), "host" (kvm), corei7_skylake_x (bochs).
    public var cpuModel: String?
    /// Bochs only: emulated instructions per emulated second (`BochsConfig`);
    /// nil means Bochs' default.
    public var bochsInstructionsPerSecond: Int?
    /// The machine's RAM in MiB (QEMU's -m, Bochs' memory:), within `memoryRangeMB`.
    public var memoryMB: Int
    /// Pass the keystrokes read from stdin, a terminal, to the machine's
    /// serial port while it runs (see `TerminalInput`); off in tests.
    public var forwardsKeyboard: Bool
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
        dom0: BootModule? = nil,
        extraModules: [BootModule] = [],
        domains: [DomainConfig] = [],
        icount: Bool = false,
        timeout: Double? = nil,
        cpuModel: String? = nil,
        bochsInstructionsPerSecond: Int? = nil,
        memoryMB: Int = BootRequest.defaultMemoryMB,
        forwardsKeyboard: Bool = false,
        echo: Bool = true,
        projectRoot: URL? = nil,
        reporter: Reporter = .standardOutput,
        mayInstallPackages: Bool = true
    ) {
        self.machine = machine
        self.cmdline = cmdline
        self.dom0 = dom0
        self.extraModules = extraModules
        self.domains = domains
        self.icount = icount
        self.timeout = timeout
        self.cpuModel = cpuModel
        self.bochsInstructionsPerSecond = bochsInstructionsPerSecond
        self.memoryMB = memoryMB
        self.forwardsKeyboard = forwardsKeyboard
        self.echo = echo
        self.projectRoot = projectRoot
        self.reporter = reporter
        self.mayInstallPackages = mayInstallPackages
    }

    /// Why this request cannot run on `machine`, or nil if it can.
    public static func icountProblem(icount: Bool, machine: Machine) -> String? {
        guard icount, machine == .bochs || machine == .kvm else { return nil }
        return "--icount needs QEMU's TCG (--machine qemu): \(machine.rawValue) cannot count instructions"
    }

    /// Why the machine cannot have `megabytes` of RAM, or nil if it can.
    public static func memoryProblem(_ megabytes: Int) -> String? {
        guard !memoryRangeMB.contains(megabytes) else { return nil }
        return "--memory \(megabytes): the machine's RAM must be \(memoryRangeMB.lowerBound) to \(memoryRangeMB.upperBound) MiB"
    }
}
