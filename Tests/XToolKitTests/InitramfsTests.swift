import XCTest
@testable import XToolKit

final class InitramfsTests: XCTestCase {
    private let busybox = Data([0x7F, 0x45, 0x4C, 0x46]) + Data(repeating: 0x90, count: 1001)

    func testTheArchiveHoldsBusyboxInitAndTheConsole() throws {
        let entries = Initramfs.archive(busybox: busybox).entries
        let byPath = Dictionary(uniqueKeysWithValues: entries.map { ($0.path, $0) })
        XCTAssertEqual(byPath["bin/busybox"]?.kind, .file(busybox))
        XCTAssertEqual(byPath["bin/busybox"]?.permissions, 0o755)
        XCTAssertEqual(byPath["bin/sh"]?.kind, .symbolicLink(target: "busybox"))
        XCTAssertEqual(byPath["init"]?.kind, .file(Data(InitScript.text.utf8)))
        XCTAssertEqual(byPath["init"]?.permissions, 0o755)
        XCTAssertEqual(byPath["dev/console"]?.kind, .characterDevice(major: 5, minor: 1))
        XCTAssertEqual(byPath["tmp"]?.permissions, 0o1777)
        for folder in ["dev", "proc", "sys", "tmp", "etc", "bin", "sbin", "usr/bin", "usr/sbin"] {
            XCTAssertEqual(byPath[folder]?.kind, .directory, folder)
        }
    }

    func testFoldersComeBeforeWhatTheyHold() {
        var seen: Set<String> = []
        for entry in Initramfs.archive(busybox: busybox).entries {
            let parent = (entry.path as NSString).deletingLastPathComponent
            XCTAssertTrue(parent.isEmpty || seen.contains(parent), "\(entry.path) before \(parent)")
            XCTAssertFalse(entry.path.hasPrefix("/"))
            seen.insert(entry.path)
        }
    }

    func testBuildWritesTheArchiveOnlyWhenItChanges() throws {
        let root = try TemporaryFolder()
        let binary = try root.write(DebianBusybox.path, "busybox one")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary.path)
        // A fetched kernel and its modules, so nothing is downloaded.
        try root.write(DebianKernel.folder + "/vmlinuz-9.9.9-test", "kernel")
        let modules = DebianKernelModules.folder(version: "9.9.9-test")
        // Every wanted module is there (else they are fetched again).
        try root.write(modules + "/load-order", "ext4.ko\nxen-privcmd.ko\nxen-blkfront.ko\n")
        try root.write(modules + "/ext4.ko", "module e")
        try root.write(modules + "/xen-privcmd.ko", "module p")
        try root.write(modules + "/xen-blkfront.ko", "module b")
        let expectedModules = [(name: "ext4.ko", contents: Data("module e".utf8)),
                               (name: "xen-privcmd.ko", contents: Data("module p".utf8)),
                               (name: "xen-blkfront.ko", contents: Data("module b".utf8))]

        let archive = try Initramfs.build(root: root.url, reporter: .silent)
        XCTAssertEqual(archive, root.url.appendingPathComponent("build/initramfs.cpio"))
        XCTAssertEqual(try Data(contentsOf: archive), Initramfs.archive(busybox: Data("busybox one".utf8), modules: expectedModules).data)

        try root.setTime(archive, 0)
        _ = try Initramfs.build(root: root.url, reporter: .silent)
        XCTAssertEqual(UpToDateCheck.modificationDate(archive), Date(timeIntervalSince1970: 1_700_000_000),
                       "same inputs: not rewritten")

        try "busybox two".write(to: binary, atomically: false, encoding: .utf8)
        _ = try Initramfs.build(root: root.url, reporter: .silent)
        XCTAssertEqual(try Data(contentsOf: archive), Initramfs.archive(busybox: Data("busybox two".utf8), modules: expectedModules).data)
    }

    func testTheModulesAndTheirOrderAreInLibModules() throws {
        let archive = Initramfs.archive(busybox: busybox, modules: [
            (name: "xen-blkfront.ko", contents: Data("blk".utf8)), (name: "ext4.ko", contents: Data("ext4".utf8)),
        ])
        let byPath = Dictionary(uniqueKeysWithValues: archive.entries.map { ($0.path, $0) })
        XCTAssertEqual(byPath["lib/modules/xen-blkfront.ko"]?.kind, .file(Data("blk".utf8)))
        XCTAssertEqual(byPath["lib/modules/ext4.ko"]?.kind, .file(Data("ext4".utf8)))
        XCTAssertEqual(byPath["lib/modules/load-order"]?.kind, .file(Data("xen-blkfront.ko\next4.ko\n".utf8)))
        XCTAssertEqual(byPath["lib/modules"]?.kind, .directory)
        XCTAssertEqual(byPath["newroot"]?.kind, .directory, "where /init mounts the disk")
        XCTAssertNil(Dictionary(uniqueKeysWithValues: Initramfs.archive(busybox: busybox).entries.map { ($0.path, $0) })["lib/modules/load-order"],
                     "no modules, no order")
    }
}

final class InitScriptTests: XCTestCase {
    /// Runs the script's own command_after_dashes with the host's /bin/sh.
    private func commandAfterDashes(_ commandLine: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", InitScript.commandFunction + "\ncommand_after_dashes \"$1\"", "sh", commandLine]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return String(decoding: text, as: UTF8.self)
    }

    func testTheCommandIsWhatFollowsTheFirstDashes() throws {
        XCTAssertEqual(try commandAfterDashes("console=hvc0 lpj=1000000 -- uname -a; cat /proc/interrupts"),
                       "uname -a; cat /proc/interrupts\n")
        XCTAssertEqual(try commandAfterDashes("-- echo first"), "echo first\n", "-- may come first")
        XCTAssertEqual(try commandAfterDashes("a -- echo b -- c"), "echo b -- c\n")
        XCTAssertEqual(try commandAfterDashes("a -- echo \"two  spaces\"  "), "echo \"two  spaces\"\n",
                       "as written, trailing spaces dropped")
    }

    func testNoCommandMeansAShell() throws {
        XCTAssertEqual(try commandAfterDashes("console=hvc0 earlyprintk=xen"), "")
        XCTAssertEqual(try commandAfterDashes("console=hvc0 --"), "")
        XCTAssertEqual(try commandAfterDashes("console=hvc0 --   "), "")
        XCTAssertEqual(try commandAfterDashes("console=hvc0 --verbose x--y"), "", "only a word of its own")
        XCTAssertEqual(try commandAfterDashes(""), "")
    }

    func testTheScriptIsValidShell() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-n", "-c", InitScript.text]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }

    func testTheScriptsSteps() throws {
        let lines = InitScript.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(lines.first, "#!/bin/sh")
        func position(_ line: String) throws -> Int {
            try XCTUnwrap(lines.firstIndex(of: line), "no line \(line)")
        }
        let proc = try position("/bin/busybox mount -t proc proc /proc")
        let sys = try position("/bin/busybox mount -t sysfs sysfs /sys")
        let dev = try position("/bin/busybox mount -t devtmpfs devtmpfs /dev")
        let install = try position("/bin/busybox --install -s")
        let up = try position("echo \"initramfs: up\"")
        let run = try position("sh -c \"$command\"")
        let status = try position("echo \"initramfs: exit status $?\"")
        let shell = try position("setsid cttyhack sh")
        XCTAssertEqual([proc, sys, dev, install, up, run, status, shell], [proc, sys, dev, install, up, run, status, shell].sorted(),
                       "mounts, then the applets (they need /proc), the marker, the command or the shell")
        XCTAssertEqual(lines.last, "poweroff -f", "whatever happened, the machine ends")
        XCTAssertTrue(InitScript.text.contains("$(command_after_dashes \"$(cat /proc/cmdline)\")"))
    }
}
