/// The /init of xtool's initramfs: the shell script Linux runs as its first
/// process, with busybox's shell.
///
/// It mounts /proc, /sys and /dev (devtmpfs), installs busybox's commands,
/// prints `initramfs: up`, then:
///
/// - with a command on the kernel command line, runs it, prints
///   `initramfs: exit status N` and powers off;
/// - without one, starts an interactive shell on the console, and powers
///   off when it exits.
///
/// With `root=/dev/xvdX` on the command line (before any " -- "), it first
/// loads the kernel modules the archive carries (`/lib/modules/load-order`:
/// xen-blkfront, ext4 and what they need, `DebianKernelModules`), waits up
/// to 10 s for the device, mounts it (ext4, read-write) on /newroot, moves
/// /proc, /sys and /dev there and `switch_root`s to its /sbin/init (the
/// root file system of `xtool rootfs`, `RootFileSystem`), which runs the
/// command itself. If the device does not appear or will not mount, it
/// says so and goes on as without root=.
///
/// The command is whatever follows " -- " on Linux's command line:
/// `--dom0 "build/third-party/vmlinuz-... console=hvc0 -- uname -a; cat /proc/interrupts"`.
/// Linux leaves the words after `--` alone (they are no parameters of its
/// own), so no quoting is needed beyond the shell's. init reads them from
/// /proc/cmdline, which keeps them as written, rather than from its
/// arguments, which Linux has split at spaces. Linux also hands them to init
/// as arguments and panics with more than about 30, so a command is at most
/// that many words.
public enum InitScript {
    public static let upMarker = "initramfs: up"
    public static let statusMarker = "initramfs: exit status"

    /// Prints the command after " -- " in its argument (a kernel command
    /// line), or nothing. A shell function, so that a test can run it.
    static let commandFunction = """
        command_after_dashes() {
            line=" $1 "
            case "$line" in
            *" -- "*)
                line=${line#* -- }
                # Trailing spaces (one was added above) are no part of the command.
                while [ "${line% }" != "$line" ]; do line=${line% }; done
                if [ -n "$line" ]; then printf '%s\\n' "$line"; fi
                ;;
            esac
        }
        """

    /// Prints the root device that `root=` names, if it is a Xen virtual
    /// disk (/dev/xvda ... /dev/xvdp, or a partition of one), or nothing.
    /// Only the words before " -- " count: the rest is the command.
    static let rootFunction = """
        root_device() {
            words=" $1 "
            words=${words%% -- *}
            set -f
            for word in $words; do
                case "$word" in
                root=/dev/xvd[a-p] | root=/dev/xvd[a-p][1-9] | root=/dev/xvd[a-p][1-9][0-9])
                    printf '%s\\n' "${word#root=}"
                    ;;
                esac
            done
            set +f
        }
        """

    public static let rootMarker = "initramfs: switching to"
    /// Seconds /init waits for the root device to appear.
    public static let rootWaitSeconds = 10

    /// The root= branch: a shell fragment that ends in switch_root or
    /// falls through to the command or shell of the initramfs.
    static let rootBranch = """
        root=$(root_device "$(cat /proc/cmdline)")
        if [ -n "$root" ]; then
            if [ -f /lib/modules/load-order ]; then
                while read -r module; do
                    insmod "/lib/modules/$module" || echo "initramfs: insmod $module failed"
                done < /lib/modules/load-order
            else
                echo "initramfs: no kernel modules in this initramfs"
            fi
            waited=0
            while [ ! -b "$root" ] && [ "$waited" -lt \(rootWaitSeconds) ]; do
                sleep 1
                waited=$((waited + 1))
            done
            if [ ! -b "$root" ]; then
                echo "initramfs: root=$root: no such device after \(rootWaitSeconds) s: staying in the initramfs"
            elif ! mkdir -p /newroot || ! mount -t ext4 -o rw "$root" /newroot; then
                echo "initramfs: root=$root: cannot mount it (ext4): staying in the initramfs"
            elif [ ! -x /newroot/sbin/init ]; then
                echo "initramfs: root=$root has no /sbin/init: staying in the initramfs"
                umount /newroot
            else
                mount --move /proc /newroot/proc
                mount --move /sys /newroot/sys
                mount --move /dev /newroot/dev
                echo "\(rootMarker) $root"
                exec switch_root /newroot /sbin/init
            fi
        fi
        """

    public static let text = """
        #!/bin/sh
        # /init of xtool's initramfs, written by `xtool initramfs` (Toolstack/XToolKit/InitScript.swift).
        /bin/busybox mount -t proc proc /proc
        /bin/busybox mount -t sysfs sysfs /sys
        /bin/busybox mount -t devtmpfs devtmpfs /dev
        # Links for every busybox command in /bin, /sbin, /usr/bin, /usr/sbin (it needs /proc).
        /bin/busybox --install -s
        export PATH=/bin:/sbin:/usr/bin:/usr/sbin
        echo "\(upMarker)"

        \(commandFunction)

        \(rootFunction)

        \(rootBranch)

        command=$(command_after_dashes "$(cat /proc/cmdline)")
        if [ -n "$command" ]; then
            echo "initramfs: running: $command"
            sh -c "$command"
            echo "\(statusMarker) $?"
        else
            echo "initramfs: no command after -- on the kernel command line: starting a shell"
            # A session of its own with the console as its terminal, for job control and Ctrl-C.
            setsid cttyhack sh
        fi
        echo "initramfs: powering off"
        poweroff -f

        """
}
