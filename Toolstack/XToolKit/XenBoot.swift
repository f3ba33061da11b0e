import Foundation

/// Boots Debian's Xen on QEMU with a PVH dom0 of ours (the bench guest), for
/// `xtool bench --against xen`: the same QEMU, the same guest binary, another
/// hypervisor. QEMU's `-kernel` loads Xen's uncompressed image (a 32-bit
/// multiboot ELF) and passes the guest as its one module.
///
/// Xen prints its own lines behind "(XEN) " and its PVH dom0's console_io
/// output with no prefix. It has no `(HV) exit:` line: when dom0 powers off
/// it says "Hardware Dom0 halted: halting machine" and spins, so the run
/// ends after the guest's `bench: end` or one of Xen's final lines.
public struct XenBoot {
    public var root: URL
    public var xen: URL
    public var dom0: BootModule
    public var icount: Bool
    public var useKVM: Bool
    public var memoryMB: Int
    public var timeout: Double
    public var transcriptFile: URL
    public var reporter: Reporter

    /// dom0=pvh: our guests are PVH kernels. dom0-iommu=none: QEMU's pc has
    /// no IOMMU. noreboot: stay halted at the end instead of resetting.
    public static func cmdline(dom0MemoryMB: Int) -> String {
        "console=com1 com1=115200,8n1 dom0=pvh dom0-iommu=none dom0_mem=\(dom0MemoryMB)M noreboot loglvl=all guest_loglvl=all"
    }

    /// QEMU 7.2's SVM reports an intercepted RDTSCP with RDTSC's exit code
    /// and Xen then crashes a dom0 that uses RDTSCP: hide it from the guest.
    static let tcgCPUModel = "max,-rdtscp"

    public init(root: URL, xen: URL, dom0: BootModule, icount: Bool, useKVM: Bool, memoryMB: Int = 256,
                timeout: Double = 60, transcriptFile: URL, reporter: Reporter) {
        self.root = root
        self.xen = xen
        self.dom0 = dom0
        self.icount = icount
        self.useKVM = useKVM
        self.memoryMB = memoryMB
        self.timeout = timeout
        self.transcriptFile = transcriptFile
        self.reporter = reporter
    }

    /// Lines after which Xen's machine is done: the bench's end, or Xen
    /// saying its dom0 is gone or that it panicked.
    public static func isFinalLine(_ line: String) -> Bool {
        BenchTranscript.isEndLine(line)
            || line.hasPrefix("(XEN) Hardware Dom0 ")          // halted / crashed / shutdown
            || line.hasPrefix("(XEN) Panic on CPU")
    }

    /// The console transcript; a timeout is reported, not thrown: what ran
    /// until then still has rows.
    public func run() throws -> (transcript: String, timedOut: Bool, seconds: Double) {
        guard let qemu = ExecutableLookup.find("qemu-system-x86_64") else {
            throw XToolError.hostToolMissing(name: "qemu-system-x86_64", packages: ["qemu-system-x86"], reason: "not in PATH")
        }
        let folder = transcriptFile.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let command = QEMUCommand(
            executable: qemu, kernel: xen.path, cmdline: Self.cmdline(dom0MemoryMB: min(64, memoryMB / 2)),
            modules: [dom0], useKVM: useKVM, cpuModel: useKVM ? nil : Self.tcgCPUModel, icount: icount,
            memoryMB: memoryMB
        )
        let errorFile = transcriptFile.deletingPathExtension().appendingPathExtension("stderr.log")
        var session = EmulatorSession(
            name: "xen on qemu", program: qemu, arguments: command.arguments, folder: root,
            standardOutputFile: transcriptFile, standardErrorFile: errorFile, consoleFile: transcriptFile,
            errorPrefix: "qemu: ", timeout: timeout, console: .silent, reporter: reporter
        )
        session.endsAfterLine = Self.isFinalLine
        session.graceAfterStatus = 0.5
        let outcome = try session.run()
        if outcome.exitCode == 1, outcome.transcript.isEmpty {
            let complaint = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            throw XToolError.couldNotStart(program: qemu.lastPathComponent, reason: complaint.split(separator: "\n").first.map(String.init) ?? "exit 1")
        }
        return (outcome.transcript, outcome.timedOut, outcome.seconds)
    }
}
