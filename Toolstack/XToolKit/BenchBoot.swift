import Foundation

/// One boot of `xtool bench`: a configuration whose guests print bench
/// rows. Every boot of `all` runs, in order, and contributes its rows to
/// one table; add a boot by adding an entry.
public struct BenchBoot: Sendable, Equatable {
    /// Names the boot in messages and its transcript's file name.
    public var name: String
    /// Dom0's image and arguments, relative to the project root; nil: our dom0.
    public var dom0: String?
    /// Domain configs for dom0 to build, relative to the project root.
    public var domains: [String]
    /// Further boot modules, relative to the project root.
    public var modules: [String]
    public var cmdline: String
    public var memoryMB: Int
    /// Files, relative to the project root, that `xtool build` does not
    /// make: without them the boot is skipped, with a note that says how to
    /// get them.
    public var needs: [Need]
    /// Said when the boot printed no row at all (what is likely missing).
    public var noRowsHint: String?
    /// Whether the boot is one guest as dom0 that Xen can boot as well
    /// (`--against xen`).
    public var runsUnderXen: Bool
    /// Seconds on QEMU; Bochs gets `bochsTimeoutFactor` times as long.
    public var timeout: Double
    /// Whether the hypervisor's own row (`bootRowKey`) counts from this
    /// boot. Every boot prints it, each for its own dom0; the table's row is
    /// the one of the bench guest's boot, and the others' are dropped.
    public var keepsBootRow: Bool
    /// Why this boot's rows may differ from run to run even where the
    /// machine repeats exactly (nil: they must not). Such rows are still
    /// compared, and their differences reported, but do not fail the bench.
    public var variesBecause: String?

    /// The row the hypervisor prints on every boot (Kernel/Main/Main.swift).
    public static let bootRowKey = "boot-to-dom0"

    public static let bochsTimeoutFactor = 10.0

    public init(name: String, dom0: String? = nil, domains: [String] = [], modules: [String] = [],
                cmdline: String = BootRequest.defaultCmdline, memoryMB: Int = BootRequest.defaultMemoryMB,
                needs: [Need] = [], noRowsHint: String? = nil, runsUnderXen: Bool = false, timeout: Double = 60,
                keepsBootRow: Bool = false, variesBecause: String? = nil) {
        self.name = name
        self.dom0 = dom0
        self.domains = domains
        self.modules = modules
        self.cmdline = cmdline
        self.memoryMB = memoryMB
        self.needs = needs
        self.noRowsHint = noRowsHint
        self.runsUnderXen = runsUnderXen
        self.timeout = timeout
        self.keepsBootRow = keepsBootRow
        self.variesBecause = variesBecause
    }

    /// A file a boot needs that `xtool build` does not make.
    public struct Need: Sendable, Equatable {
        public var file: String
        /// e.g. "swift run xtool fetch linux"
        public var howToGet: String

        public init(file: String, howToGet: String) {
            self.file = file
            self.howToGet = howToGet
        }
    }

    /// The bench's boots, in the order they run.
    public static let all: [BenchBoot] = [
        // The bench guest alone as dom0: exits, hypercalls, event channels,
        // and the hypervisor's own boot-to-dom0 row. The same binary boots under Xen.
        BenchBoot(name: "dom0", dom0: "build/guests/bench.elf", runsUnderXen: true, keepsBootRow: true),
        // Two domUs our dom0 builds: ping prints the interdomain event
        // round trip and the domain switch (Guests/Events/PingPongBench.swift).
        BenchBoot(
            name: "interdomain",
            domains: ["Tests/BootTests/Configs/bench-ping.cfg", "Tests/BootTests/Configs/bench-pong.cfg"],
            needs: ["Tests/BootTests/Configs/bench-ping.cfg", "Tests/BootTests/Configs/bench-pong.cfg"].map {
                Need(file: $0, howToGet: "the interdomain bench's domain config")
            }
        ),
        // Debian's Linux as our dom0: its user space times getpid() and a
        // hypercall through /dev/xen/privcmd (Toolstack/LinuxPrograms/syscall-bench.c,
        // carried by xtool's initramfs with the xen-privcmd module).
        BenchBoot(
            name: "linux",
            dom0: "build/third-party/vmlinuz console=hvc0 -- insmod /lib/modules/xen-privcmd.ko; syscall-bench iterations=1000 batches=7",
            modules: ["build/initramfs.cpio"],
            cmdline: "console=com1 dom0_mem=256M", memoryMB: 512,
            needs: [
                Need(file: "build/third-party/vmlinuz", howToGet: "swift run xtool fetch linux"),
                Need(file: "build/initramfs.cpio", howToGet: "swift run xtool initramfs"),
            ],
            noRowsHint: "an initramfs made before syscall-bench existed? (swift run xtool initramfs)",
            timeout: 300,
            // Seen under --icount: one batch in seven or so differs between
            // two runs by up to 19 instructions, in both rows; the cause was
            // not found (not QEMU's sleep, not the RTC: both were tried).
            variesBecause: "Linux's rows differ in a batch or two from run to run under --icount (cause not found)"
        ),
    ]

    /// The rows of this boot's transcript that count: all but the
    /// hypervisor's boot row, unless this boot keeps it.
    public func countedRows(_ rows: [BenchRow]) -> [BenchRow] {
        keepsBootRow ? rows : rows.filter { $0.key != Self.bootRowKey }
    }

    /// The first file of `needs` that is missing under `root`, with how to get it.
    public func missingNeed(root: URL) -> Need? {
        needs.first { !FileManager.default.fileExists(atPath: root.appendingPathComponent($0.file).path) }
    }

    /// The `xtool boot` request for this boot.
    public func request(machine: Machine, icount: Bool, cpuModel: String? = nil, root: URL, reporter: Reporter) throws -> BootRequest {
        BootRequest(
            machine: machine, cmdline: cmdline,
            dom0: dom0.map { BootModule(parsing: $0, relativeTo: root) },
            extraModules: modules.map { BootModule(parsing: $0, relativeTo: root) },
            domains: try DomainConfigLoader.load(domains, relativeTo: root),
            icount: icount,
            timeout: machine == .bochs ? timeout * Self.bochsTimeoutFactor : timeout,
            cpuModel: cpuModel,
            bochsInstructionsPerSecond: machine == .bochs ? BenchUnit.bochsInstructionsPerSecond : nil,
            memoryMB: memoryMB, echo: false, projectRoot: root, reporter: reporter
        )
    }
}
