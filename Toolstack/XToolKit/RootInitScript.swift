/// /sbin/init of xtool's root file system (`RootFileSystem`): what the
/// initramfs's /init `switch_root`s to with root=/dev/xvdX, and what any
/// Linux would run from that disk.
///
/// It mounts /proc, /sys and /dev unless the initramfs moved them here,
/// installs busybox's links once, prints `rootfs: up`, then runs the
/// command after " -- " on the kernel command line (`InitScript`'s
/// `command_after_dashes`), prints `rootfs: exit status N`, syncs the disk,
/// remounts it read-only (clean) and powers off; without a command it
/// starts a shell.
public enum RootInitScript {
    public static let upMarker = "rootfs: up"
    public static let statusMarker = "rootfs: exit status"

    public static let text = """
        #!/bin/sh
        # /sbin/init of xtool's root file system, written by `xtool rootfs` (Toolstack/XToolKit/RootInitScript.swift).
        [ -e /proc/self ] || /bin/busybox mount -t proc proc /proc
        [ -d /sys/kernel ] || /bin/busybox mount -t sysfs sysfs /sys
        [ -e /dev/null ] || /bin/busybox mount -t devtmpfs devtmpfs /dev
        # Links for every busybox command, made on the disk the first time.
        [ -e /bin/ls ] || /bin/busybox --install -s
        export PATH=/bin:/sbin:/usr/bin:/usr/sbin
        echo "\(upMarker)"

        \(InitScript.commandFunction)

        command=$(command_after_dashes "$(cat /proc/cmdline)")
        if [ -n "$command" ]; then
            echo "rootfs: running: $command"
            sh -c "$command"
            echo "\(statusMarker) $?"
        else
            echo "rootfs: no command after -- on the kernel command line: starting a shell"
            setsid cttyhack sh
        fi
        sync
        # poweroff -f unmounts nothing: read-only first, so the journal is
        # written back and the file system left clean on the disk.
        mount -o remount,ro / || echo "rootfs: cannot remount / read-only"
        echo "rootfs: powering off"
        poweroff -f

        """
}
