import Foundation

/// Where the domains' disk files sit on the emulated legacy IDE (ATA)
/// controller, which QEMU and Bochs both emulate and dom0 drives: four
/// positions, 0 primary master, 1 primary slave (ports 0x1F0-0x1F7 and
/// 0x3F6), 2 secondary master, 3 secondary slave (0x170-0x177 and 0x376).
///
/// The disks of all domains, in manifest order (domain by domain, each
/// domain's in its `disk` list's order), take the free positions one after
/// the other: 0, 1, 2, 3 on QEMU; 1, 2, 3 on Bochs, whose primary master is
/// the boot CD-ROM (`BochsConfig`). Dom0 learns each disk's position from
/// the manifest (`DomainManifest`).
public struct ATADiskLayout: Sendable, Equatable {
    public static let positionCount = 4
    /// Bochs' flat disk images are whole cylinders of 16 heads of 63 sectors.
    public static let bochsHeads = 16
    public static let bochsSectorsPerTrack = 63
    public static let bochsCylinderBytes = bochsHeads * bochsSectorsPerTrack * DiskConfig.sectorSize

    /// One disk file on the controller.
    public struct Attachment: Sendable, Equatable {
        /// 0 ... 3 (see `ATADiskLayout`).
        public var position: Int
        public var disk: DiskConfig
        /// The domain it belongs to, and its config file as the user named it.
        public var domain: String
        public var configPath: String
        /// The file's size in bytes.
        public var size: Int

        public init(position: Int, disk: DiskConfig, domain: String, configPath: String, size: Int) {
            self.position = position
            self.disk = disk
            self.domain = domain
            self.configPath = configPath
            self.size = size
        }

        /// Bochs' cylinder count (size is a whole number of cylinders on Bochs).
        public var bochsCylinders: Int { size / ATADiskLayout.bochsCylinderBytes }
    }

    public var machine: Machine
    public var attachments: [Attachment]

    /// The first position a disk may take on the machine.
    public static func firstPosition(on machine: Machine) -> Int {
        machine == .bochs ? 1 : 0
    }

    /// The name of a position, for messages and comments.
    public static func positionName(_ position: Int) -> String {
        ["primary master", "primary slave", "secondary master", "secondary slave"][position]
    }

    /// Lays out every disk of `domains` on `machine`. Throws, at the
    /// disk's config line, for a disk that finds no position and, on
    /// Bochs, for a file that is not whole cylinders. `size` reads a file's
    /// size (a parameter for tests).
    public init(domains: [DomainConfig], machine: Machine,
                size: (URL) -> Int = ATADiskLayout.fileSize) throws(DomainConfigErrors) {
        self.machine = machine
        var attachments: [Attachment] = []
        var errors: [DomainConfigError] = []
        let first = Self.firstPosition(on: machine)
        let total = domains.reduce(0) { $0 + $1.disks.count }
        var position = first
        for domain in domains {
            for disk in domain.disks {
                defer { position += 1 }
                func report(_ message: String) {
                    errors.append(DomainConfigError(path: domain.source.path, line: disk.line, message: "disk \(disk.vdev): \(message)"))
                }
                guard position < Self.positionCount else {
                    let free = Self.positionCount - first
                    let why = machine == .bochs ? " (its primary master is the boot CD-ROM)" : ""
                    report("no IDE position left for \(disk.file.path): \(machine.rawValue) has \(free) for disks\(why), and the domains have \(total)")
                    continue
                }
                let bytes = size(disk.file)
                if machine == .bochs, bytes % Self.bochsCylinderBytes != 0 || bytes == 0 {
                    let rounded = (bytes / Self.bochsCylinderBytes + 1) * Self.bochsCylinderBytes
                    report("\(disk.file.path) is \(bytes) bytes: Bochs takes only whole cylinders of \(Self.bochsHeads) heads x \(Self.bochsSectorsPerTrack) sectors (\(Self.bochsCylinderBytes) bytes), e.g. \(rounded) bytes (truncate -s \(rounded) FILE)")
                    continue
                }
                attachments.append(Attachment(position: position, disk: disk, domain: domain.name,
                                              configPath: domain.source.path, size: bytes))
            }
        }
        guard errors.isEmpty else { throw DomainConfigErrors(errors) }
        self.attachments = attachments
    }

    /// The size of a file in bytes, 0 if it cannot be read; a symbolic
    /// link is followed, as the emulator follows it.
    public static func fileSize(_ file: URL) -> Int {
        var information = stat()
        guard stat(file.path, &information) == 0 else { return 0 }
        return Int(information.st_size)
    }

    /// QEMU's arguments for the disks: one IDE -drive each, at its position.
    /// QEMU's IDE disks cannot be read-only: a read-only disk is attached
    /// read-write too, and dom0 refuses the domain's writes.
    public var qemuArguments: [String] {
        attachments.flatMap { attachment in
            // In -drive's option list a comma is written ",,".
            let path = attachment.disk.file.path.replacingOccurrences(of: ",", with: ",,")
            return ["-drive", "file=\(path),format=raw,if=ide,index=\(attachment.position),media=disk"]
        }
    }

    /// The name under which Bochs finds a disk in its folder (build/bochs):
    /// a symbolic link to the file, so the bochsrc holds no path with
    /// spaces or `$`.
    public static func bochsLinkName(_ position: Int) -> String {
        "disk\(position).img"
    }
}
