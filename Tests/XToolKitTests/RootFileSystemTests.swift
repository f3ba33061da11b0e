import XCTest
@testable import XToolKit

final class RootFileSystemTests: XCTestCase {
    private let busybox = Data([0x7F, 0x45, 0x4C, 0x46]) + Data(repeating: 0x90, count: 99)

    func testTheTreeHoldsBusyboxInitAndTheUsualFolders() throws {
        let entries = RootFileSystem.entries(busybox: busybox)
        let byPath = Dictionary(uniqueKeysWithValues: entries.map { ($0.path, $0) })
        XCTAssertEqual(byPath["bin/busybox"]?.kind, .file(busybox))
        XCTAssertEqual(byPath["bin/busybox"]?.permissions, 0o755)
        XCTAssertEqual(byPath["bin/sh"]?.kind, .symbolicLink(target: "busybox"))
        XCTAssertEqual(byPath["sbin/init"]?.kind, .file(Data(RootInitScript.text.utf8)))
        XCTAssertEqual(byPath["sbin/init"]?.permissions, 0o755)
        XCTAssertEqual(byPath["tmp"]?.permissions, 0o1777)
        XCTAssertEqual(byPath["root"]?.permissions, 0o700)
        for folder in ["bin", "sbin", "usr/bin", "usr/sbin", "dev", "proc", "sys", "tmp", "mnt", "root", "etc"] {
            XCTAssertEqual(byPath[folder]?.kind, .directory, folder)
        }
        var seen: Set<String> = []
        for entry in entries {
            let parent = (entry.path as NSString).deletingLastPathComponent
            XCTAssertTrue(parent.isEmpty || seen.contains(parent), "\(entry.path) before \(parent)")
            seen.insert(entry.path)
        }
    }

    func testTheTreeIsWrittenWithItsModes() throws {
        let temp = try TemporaryFolder()
        let folder = temp.url.appendingPathComponent("tree")
        try RootFileSystem.write(RootFileSystem.entries(busybox: busybox), into: folder)
        func mode(_ path: String) throws -> Int {
            var information = stat()
            XCTAssertEqual(lstat(folder.appendingPathComponent(path).path, &information), 0, path)
            return Int(information.st_mode) & 0o7777
        }
        XCTAssertEqual(try mode("tmp"), 0o1777, "the sticky bit despite the umask")
        XCTAssertEqual(try mode("root"), 0o700)
        XCTAssertEqual(try mode("sbin/init"), 0o755)
        XCTAssertEqual(try mode("bin/busybox"), 0o755)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("bin/busybox")), busybox)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: folder.appendingPathComponent("bin/sh").path), "busybox")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("sbin/init"), encoding: .utf8), RootInitScript.text)
    }

    func testMke2fsMakesA63MiBExt4FromTheFolderWithoutRoot() {
        let arguments = RootFileSystem.mke2fsArguments(folder: URL(fileURLWithPath: "/b/tree"), image: URL(fileURLWithPath: "/b/r.img"))
        XCTAssertEqual(arguments, ["-q", "-t", "ext4", "-L", "xtool-rootfs", "-d", "/b/tree", "-F", "/b/r.img", "64512k"])
        XCTAssertEqual(RootFileSystem.sizeBytes, 63 * 1024 * 1024)
        XCTAssertEqual(HostRequirement.rootFileSystem, [HostRequirement(.program("mke2fs"), packages: ["e2fsprogs"])])
    }

    func testInitIsValidShellAndEndsTheMachine() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-n", "-c", RootInitScript.text]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let lines = RootInitScript.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(lines.first, "#!/bin/sh")
        XCTAssertEqual(lines.last, "poweroff -f")
        let up = try XCTUnwrap(lines.firstIndex(of: "echo \"rootfs: up\""))
        let run = try XCTUnwrap(lines.firstIndex(of: "sh -c \"$command\""))
        let status = try XCTUnwrap(lines.firstIndex(of: "echo \"rootfs: exit status $?\""))
        let sync = try XCTUnwrap(lines.firstIndex(of: "sync"))
        XCTAssertEqual([up, run, status, sync], [up, run, status, sync].sorted(), "up, the command, its status, then sync")
        XCTAssertTrue(RootInitScript.text.contains(InitScript.commandFunction), "the initramfs's own command_after_dashes")
        XCTAssertTrue(RootInitScript.text.contains("[ -e /proc/self ] || /bin/busybox mount -t proc proc /proc"),
                      "/proc may have been moved here by the initramfs")
    }

    /// The real mke2fs, when the host has it (e2fsprogs): the image is an
    /// ext4 that debugfs reads /sbin/init from, and it replaces the old one.
    func testBuildMakesAnExt4ImageInPlace() throws {
        guard let debugfs = ExecutableLookup.find("debugfs"), ExecutableLookup.find("mke2fs") != nil else {
            throw XCTSkip("no e2fsprogs here")
        }
        let root = try TemporaryFolder()
        let binary = try root.write(DebianBusybox.path, "not really busybox")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary.path)
        try root.write(RootFileSystem.path, "an old image")
        let image = try RootFileSystem.build(root: root.url, reporter: .silent, mayInstallPackages: false)
        XCTAssertEqual(image, root.url.appendingPathComponent("build/rootfs.img"))
        XCTAssertEqual(ATADiskLayout.fileSize(image), RootFileSystem.sizeBytes)
        let listing = root.url.appendingPathComponent("init.txt")
        XCTAssertEqual(try CommandRunner.run(debugfs, ["-R", "cat /sbin/init", image.path], outputFile: listing), 0)
        XCTAssertTrue(try String(contentsOf: listing, encoding: .utf8).contains(RootInitScript.text), "debugfs reads /sbin/init back")
        let left = try FileManager.default.contentsOfDirectory(atPath: root.url.appendingPathComponent("build").path)
        XCTAssertEqual(left.sorted(), ["rootfs.img", "third-party"], "no temporary folder left behind")
    }
}
