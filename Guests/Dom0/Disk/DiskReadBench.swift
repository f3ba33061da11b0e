import GuestSupport

/// Dom0 reading its disks directly, with its own ATA driver: the baseline
/// a domU's reads through blkback are compared with (Docs/BENCHMARKS.md).
/// Asked for by dom0's command line, `disk_bench=MiB`: each disk is read
/// from sector 0 in 64 KiB commands and the TSC delta printed per KiB,
/// which under `xtool boot --icount` is an exact instruction count (dom0's
/// and the hypervisor's together; dom0's port I/O does not exit).
enum DiskReadBench {
    static let sectorsPerRead = 128
    static let maximumMiB: UInt64 = 1024

    static func run(_ disks: MachineDisks, mebibytes: UInt64) {
        var buffer = [UInt8](repeating: 0, count: sectorsPerRead * ATADisk.sectorSize)
        for disk in disks.disks {
            let sectors = min(mebibytes << 11, disk.sectorCount) / UInt64(sectorsPerRead) * UInt64(sectorsPerRead)
            guard sectors > 0 else { continue }
            let start = read_tsc()
            var sector: UInt64 = 0
            var failed = false
            while sector < sectors && !failed {
                failed = !buffer.withUnsafeMutableBytes { disk.read(sector: sector, count: sectorsPerRead, into: $0.baseAddress!) }
                sector += UInt64(sectorsPerRead)
            }
            let ticks = read_tsc() &- start
            let kibibytes = sectors / 2
            if failed {
                print("dom0: disk \(disk.position): direct read failed at sector \(sector)")
            } else {
                print("dom0: disk \(disk.position): direct read of \(kibibytes) KiB: \(ticks / kibibytes) TSC ticks per KiB (instructions under --icount)")
            }
        }
    }
}
