/// The machine's disks as dom0 found them at boot, and which domain each
/// one went to: a disk serves one domain only (two writers that do not
/// know of each other would ruin its file system).
final class MachineDisks {
    let disks: [ATADisk]
    private var owners: [Int: DomainID] = [:]

    /// Probes the ATA controller and prints one line per disk found.
    init() {
        disks = ATADisk.probeAll()
        for disk in disks {
            let size = disk.sectorCount >= 2048 ? "\(disk.sectorCount >> 11) MiB" : "\(disk.sectorCount >> 1) KiB"
            print("dom0: disk \(disk.position): \(disk.model), \(disk.sectorCount) sectors (\(size))")
        }
        if disks.isEmpty { print("dom0: no ATA disks") }
    }

    /// The disk at `position` for `domain`, unless there is none or it
    /// went to another domain.
    func claim(_ position: Int, for domain: DomainID) throws(BuildError) -> ATADisk {
        guard let disk = disks.first(where: { $0.position == position }) else {
            throw .disk("no ATA disk at position \(position)")
        }
        if let owner = owners[position], owner != domain {
            throw .disk("the disk at position \(position) is d\(owner)'s")
        }
        owners[position] = domain
        return disk
    }
}
