/// /sbin/disk-bench in xtool's root file system: sequential reads of the
/// root disk and writes to a file on it, by dd in 64 KiB blocks, each timed
/// with the guest's clock (/proc/uptime, 10 ms steps: use a few MiB).
/// `disk-bench MiB` prints one row per direction:
///
///     disk-bench: read 8192 KiB in 1.23 s: 6.66 MB/s, 150146 ns per KiB
///
/// Under `xtool boot --icount` the guest's clock runs at one nanosecond per
/// instruction, so "ns per KiB" is instructions per KiB, of the domU, dom0's
/// blkback and the hypervisor together (Docs/BENCHMARKS.md).
public enum DiskBenchScript {
    public static let rowPrefix = "disk-bench: "

    /// `row WHAT KIB T0 T1` prints one row from two /proc/uptime readings
    /// (a shell function, so that a test can run it).
    static let rowFunction = """
        row() {
            awk -v what="$1" -v kib="$2" -v t0="$3" -v t1="$4" 'BEGIN {
                s = t1 - t0; if (s <= 0) s = 0.01
                printf "\(rowPrefix)%s %d KiB in %.2f s: %.2f MB/s, %d ns per KiB\\n", what, kib, s, kib * 1024 / s / 1e6, s * 1e9 / kib }'
        }
        """

    public static let text = """
        #!/bin/sh
        # /sbin/disk-bench, written by `xtool rootfs` (Toolstack/XToolKit/DiskBenchScript.swift).
        mebibytes=${1:-8}
        blocks=$((mebibytes * 16))
        now() { cut -d' ' -f1 /proc/uptime; }
        \(rowFunction)
        t0=$(now)
        dd if=/dev/xvda of=/dev/null bs=64k count=$blocks 2>/dev/null || { echo "\(rowPrefix)read failed"; exit 1; }
        t1=$(now)
        row read $((blocks * 64)) $t0 $t1
        t0=$(now)
        dd if=/dev/zero of=/bench.bin bs=64k count=$blocks conv=fsync 2>/dev/null || { echo "\(rowPrefix)write failed"; exit 1; }
        t1=$(now)
        rm -f /bench.bin
        sync
        row write $((blocks * 64)) $t0 $t1

        """
}
