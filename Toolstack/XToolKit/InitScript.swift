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
