import Foundation

/// xtool's initramfs for Linux: Debian's static busybox, an /init script
/// (`InitScript`), the kernel modules that root=/dev/xvda needs
/// (`DebianKernelModules`: xen-blkfront, ext4, ..., in /lib/modules with
/// their insmod order in /lib/modules/load-order) and xen-privcmd, and the
/// programs of Toolstack/LinuxPrograms in /bin (`LinuxProgram`: the
/// syscall-bench rows), as an uncompressed newc
/// cpio archive (`CPIOArchive`) in build/initramfs.cpio, made by `xtool initramfs`.
///
/// Give it to a Linux dom0 as its first module, `--module build/initramfs.cpio`:
/// the hypervisor passes dom0's modules in hvm_start_info's module list, and
/// Linux's PVH entry takes the first of them as its initrd.
public enum Initramfs {
    /// The archive, relative to the project root.
    public static let path = "build/initramfs.cpio"

    /// What the kernel and /init expect; busybox --install fills the bin folders.
    static let directories = ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "proc", "sys", "etc", "root", "newroot"]

    /// The archive around a busybox binary, kernel modules (file name
    /// and bytes, in insmod order) and programs for /bin (LinuxProgram).
    public static func archive(busybox: Data, modules: [(name: String, contents: Data)] = [],
                               programs: [(name: String, contents: Data)] = []) -> CPIOArchive {
        var archive = CPIOArchive()
        for directory in directories {
            archive.addDirectory(directory)
        }
        archive.addDirectory("tmp", permissions: 0o1777)
        // Linux opens /dev/console as init's stdin, stdout and stderr before
        // /init runs, so it must be in the archive (devtmpfs comes later).
        archive.addCharacterDevice("dev/console", major: 5, minor: 1)
        archive.addFile("bin/busybox", contents: busybox, permissions: 0o755)
        // For /init's "#!/bin/sh", which runs before busybox --install.
        archive.addSymbolicLink("bin/sh", to: "busybox")
        archive.addFile("init", contents: Data(InitScript.text.utf8), permissions: 0o755)
        for program in programs {
            archive.addFile("bin/" + program.name, contents: program.contents, permissions: 0o755)
        }
        if !modules.isEmpty {
            archive.addDirectory("lib")
            archive.addDirectory("lib/modules")
            for module in modules {
                archive.addFile("lib/modules/" + module.name, contents: module.contents)
            }
            let order = modules.map { $0.name + "\n" }.joined()
            archive.addFile("lib/modules/load-order", contents: Data(order.utf8))
        }
        return archive
    }

    /// Writes build/initramfs.cpio (fetching busybox and the kernel's
    /// modules first if needed) and returns it. The file is rewritten only
    /// when its bytes would change, so its time stamp, which the Bochs ISO's
    /// up-to-date check reads, changes only with its inputs.
    public static func build(root: URL, reporter: Reporter) throws -> URL {
        let busybox = try DebianBusybox.fetch(root: root, reporter: reporter)
        let modules = try DebianKernelModules.fetch(root: root, reporter: reporter).map { file in
            (name: file.lastPathComponent, contents: try Data(contentsOf: file))
        }
        let programs = try LinuxProgram.buildAll(root: root, toolchain: try Toolchain.locate())
        let output = root.appendingPathComponent(path)
        let bytes = archive(busybox: try Data(contentsOf: busybox), modules: modules, programs: programs).data
        if (try? Data(contentsOf: output)) != bytes {
            try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
            try bytes.write(to: output, options: .atomic)
            reporter.line("initramfs: \(path), \(bytes.count) bytes")
        }
        return output
    }
}
