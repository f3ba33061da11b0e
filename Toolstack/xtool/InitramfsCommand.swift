import ArgumentParser
import XToolKit

/// `xtool initramfs`
struct InitramfsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "initramfs",
        abstract: "Make build/initramfs.cpio (busybox and an /init for Linux) and print its path.",
        discussion: """
        Downloads Debian's busybox-static once into build/third-party/. Boot it with a Linux dom0 as \
        the first --module. /init mounts /proc, /sys and /dev, prints "initramfs: up", runs the command \
        after " -- " on Linux's command line (--dom0 "PATH console=hvc0 -- uname -a"), prints \
        "initramfs: exit status N" and powers off; without a command it starts a shell. \
        It also carries xen-blkfront and ext4 (and what they need) from the fetched kernel's package, \
        downloaded once into build/third-party/modules-VERSION/: with root=/dev/xvdX on the command line, \
        /init loads them, mounts that disk and switch_roots to its /sbin/init (see xtool rootfs). \
        It carries xen-privcmd too, and /bin/syscall-bench (Toolstack/LinuxPrograms, compiled here with the \
        toolchain's clang): "-- insmod /lib/modules/xen-privcmd.ko; syscall-bench iterations=1000 batches=7" \
        prints the linux-getpid and linux-privcmd-xen-version bench rows.
        """
    )

    func run() throws {
        try ExitCodes.translatingErrors {
            let root = try ProjectRoot.findFromCurrentDirectory()
            let archive = try Initramfs.build(root: root, reporter: .standardError)
            Reporter.standardOutput.line(archive.path)
        }
    }
}
