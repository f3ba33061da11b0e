/// The bochsrc for a headless, unattended Bochs run.
///
/// Paths are relative: Bochs runs inside build/bochs, and relative paths keep
/// the file free of spaces and `$`, which bochsrc would misread.
public struct BochsConfig: Sendable, Equatable {
    /// A CPU model with VMX, EPT and unrestricted guest (see `bochs --help cpu`).
    public static let defaultCPUModel = "corei7_skylake_x"
    public static let biosImage = "/usr/share/bochs/BIOS-bochs-latest"
    public static let vgaBiosImage = "/usr/share/vgabios/vgabios.bin"
    /// Debian has no `nogui`; SDL2 with SDL_VIDEODRIVER=dummy draws nowhere and
    /// needs no X display (term would take over the terminal, rfb opens a port).
    public static let displayLibrary = "sdl2"
    public static let environment = ["SDL_VIDEODRIVER": "dummy"]

    /// The console as the run left it (read from the terminal, or written by Bochs).
    public static let consoleLogPath = "com1.log"

    public var cpuModel: String = defaultCPUModel
    /// How many emulated instructions make an emulated second (`cpu: ips=`);
    /// nil: Bochs' default, 4,000,000. Bochs' TSC counts instructions
    /// whatever this says; it sets how fast the PIT, the APIC timer and the
    /// CMOS clock run against them, so how many instructions a guest's
    /// 10 ms are (see `BenchUnit.bochsInstructionsPerSecond`).
    public var instructionsPerSecond: Int? = nil
    public var memoryMB: Int = BootRequest.defaultMemoryMB
    /// The most `memory: host=` takes (Bochs refuses more); a larger guest=
    /// is allowed, Bochs then keeps part of the guest's RAM in a file.
    public static let maximumHostMemoryMB = 2048
    public var isoPath: String = "boot.iso"
    /// Where com1 goes: a terminal's device path, or this file.
    public var serialDevice: String = BochsConfig.consoleLogPath
    /// com1 in term mode: Bochs also reads the guest's serial input from
    /// `serialDevice`, which must then be a terminal.
    public var serialReadsInput = false
    public var logPath: String = "bochs.log"
    /// Disks on the IDE controller, positions 1 to 3 (`ATADiskLayout`):
    /// each a flat image linked into Bochs' folder as `ATADiskLayout.bochsLinkName`.
    public var disks: [ATADiskLayout.Attachment] = []

    public init(cpuModel: String = defaultCPUModel) {
        self.cpuModel = cpuModel
    }

    public var text: String {
        """
        # Written by xtool boot --machine bochs; edits are overwritten.
        memory: guest=\(memoryMB), host=\(min(memoryMB, Self.maximumHostMemoryMB))
        # reset_on_triple_fault=0: a triple fault ends the run instead of rebooting forever.
        cpu: model=\(cpuModel), \(instructionsPerSecond.map { "ips=\($0), " } ?? "")reset_on_triple_fault=0
        romimage: file=\(Self.biosImage)
        vgaromimage: file=\(Self.vgaBiosImage)
        ata0-master: type=cdrom, path=\(isoPath), status=inserted
        \(diskLines)boot: cdrom
        com1: enabled=1, mode=\(serialReadsInput ? "term" : "file"), dev=\(serialDevice)
        port_e9_hack: enabled=1
        display_library: \(Self.displayLibrary)
        # No sound device: otherwise Bochs probes ALSA and complains on hosts without one.
        sound: driver=dummy
        speaker: enabled=0
        # Run as fast as possible: emulated time need not follow the wall clock.
        clock: sync=none
        log: \(logPath)
        # A panic ends the run, except the CPU's: Bochs turns a triple fault in an
        # SVM guest into the SHUTDOWN exit only after a (non-fatal) CPU panic.
        # xtool stops a machine that goes quiet after a panic.
        panic: action=fatal, cpu0=report
        error: action=report
        info: action=report
        debug: action=ignore

        """
    }

    /// The ata lines of the disks (each ending in a line break), with the
    /// secondary channel switched on when a disk needs it.
    public var diskLines: String {
        var lines: [String] = []
        if disks.contains(where: { $0.position >= 2 }) {
            lines.append("ata1: enabled=1, ioaddr1=0x170, ioaddr2=0x370, irq=15")
        }
        for disk in disks {
            let slot = ["ata0-master", "ata0-slave", "ata1-master", "ata1-slave"][disk.position]
            lines.append("# \(ATADiskLayout.positionName(disk.position)): \(disk.domain)'s \(disk.disk.vdev)")
            lines.append("\(slot): type=disk, path=\(ATADiskLayout.bochsLinkName(disk.position)), mode=flat, cylinders=\(disk.bochsCylinders), heads=\(ATADiskLayout.bochsHeads), spt=\(ATADiskLayout.bochsSectorsPerTrack)")
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// Debugger commands for `bochs -rc`: Debian's Bochs has the debugger built
    /// in and would otherwise wait at its prompt before the first instruction.
    /// Each CPU panic (a guest's triple fault) stops at the prompt again: one
    /// "c" for each of a few, then "q".
    public static let debuggerCommands = String(repeating: "c\n", count: 1 + maximumPanics) + "q\n"
    /// CPU panics a run may survive (guest triple faults).
    public static let maximumPanics = 8
}
