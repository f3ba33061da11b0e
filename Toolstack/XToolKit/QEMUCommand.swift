import Foundation

/// The QEMU command line for a boot, on TCG or KVM.
///
/// The serial port goes to stdout (`-serial stdio`); isa-debug-exit at 0xf4
/// lets the hypervisor end QEMU with a status; -no-reboot turns a triple fault
/// into a plain exit (code 0) instead of an endless reboot loop.
public struct QEMUCommand: Sendable, Equatable {
    public var executable: URL
    public var kernel: String
    public var cmdline: String
    public var modules: [BootModule]
    public var useKVM: Bool
    /// nil: "max" on TCG (it has SVM and NPT), "host" on KVM.
    public var cpuModel: String?
    public var memoryMB: Int
    /// `-icount shift=0`: one TSC tick per executed instruction (TCG only),
    /// so RDTSC deltas are exact, repeatable instruction counts.
    public var icount: Bool
    /// The disks' -drive arguments (`ATADiskLayout.qemuArguments`).
    public var disks: [String]

    public init(
        executable: URL, kernel: String, cmdline: String, modules: [BootModule], useKVM: Bool,
        cpuModel: String? = nil, icount: Bool = false, memoryMB: Int = BootRequest.defaultMemoryMB,
        disks: [String] = []
    ) {
        self.executable = executable
        self.kernel = kernel
        self.cmdline = cmdline
        self.modules = modules
        self.useKVM = useKVM
        self.cpuModel = cpuModel
        self.icount = icount
        self.memoryMB = memoryMB
        self.disks = disks
    }

    public var arguments: [String] {
        var arguments = ["-machine", "pc"]
        if useKVM { arguments.append("-enable-kvm") }
        if icount { arguments += ["-icount", "shift=0"] }
        arguments += [
            "-cpu", cpuModel ?? (useKVM ? "host" : "max"),
            "-m", String(memoryMB),
            "-smp", "1",
            "-display", "none",
            "-serial", "stdio",
            "-monitor", "none",
            "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-kernel", kernel,
            "-append", cmdline,
        ]
        if !modules.isEmpty {
            arguments += ["-initrd", Self.initrdArgument(modules)]
        }
        arguments += disks
        return arguments
    }

    /// QEMU's multiboot loader splits -initrd at commas into modules, each
    /// "path args"; a literal comma inside one is written as ",,".
    public static func initrdArgument(_ modules: [BootModule]) -> String {
        modules.map { module in
            let text = module.arguments.isEmpty ? module.file.path : module.file.path + " " + module.arguments
            return text.replacingOccurrences(of: ",", with: ",,")
        }.joined(separator: ",")
    }
}
