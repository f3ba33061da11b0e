import ArgumentParser
import XToolKit

/// `xtool rootfs`
struct RootfsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rootfs",
        abstract: "Make build/rootfs.img (an ext4 root file system with busybox) and print its path.",
        discussion: """
        Downloads Debian's busybox-static once into build/third-party/ and builds the image with \
        mke2fs -d (e2fsprogs), 63 MiB. Give it to a domain as disk = [ "PATH,raw,xvda,rw" ] with \
        extra = "console=hvc0 root=/dev/xvda -- COMMAND": the initramfs mounts it and its /sbin/init \
        prints "rootfs: up", runs COMMAND, prints "rootfs: exit status N", syncs and powers off.
        """
    )

    func run() throws {
        try ExitCodes.translatingErrors {
            let root = try ProjectRoot.findFromCurrentDirectory()
            let image = try RootFileSystem.build(root: root, reporter: .standardError)
            Reporter.standardOutput.line(image.path)
        }
    }
}
