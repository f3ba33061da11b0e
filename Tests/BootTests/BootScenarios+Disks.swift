import Foundation
import XCTest
import XToolKit

/// Disks: dom0 drives the machine's ATA disks and serves them to domUs
/// through its blkback (Guests/Dom0/Block), as Xen's split block driver.
/// Each scenario makes its own disk image in a temporary folder, so no
/// boot sees another's writes, and checks the file after the machine ended.
extension BootTestCase {
    /// The Swift blkfront (Guests/Frontend, BlockFrontChecks): good
    /// requests are served, bad ones refused with Xen's statuses, a broken
    /// ring closes the backend and dom0 goes on; the write it made is in
    /// the image file afterwards.
    func checkBlockFrontendIsServedAndRefused(on setup: MachineSetup) {
        guard let root = Self.root else { return XCTFail("no project root") }
        do {
            let folder = try DiskScenario.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let image = folder.appendingPathComponent("blockfront.img")
            // Two whole Bochs cylinders (16 heads x 63 sectors), the signature first.
            var bytes = [UInt8](repeating: 0, count: 2 * 16 * 63 * 512)
            bytes.replaceSubrange(0..<BootExpectations.blockFrontSignature.utf8.count, with: Array(BootExpectations.blockFrontSignature.utf8))
            try Data(bytes).write(to: image)
            let config = try DiskScenario.writeConfig(in: folder, name: "blockfront", lines: [
                "kernel = \"\(root.path)/build/guests/frontend.elf\"",
                "memory = 8",
                "cmdline = \"name=blockfront\"",
                "disk = [ \"\(image.path),raw,xvda,rw\" ]",
            ])
            guard let result = boot(setup, Boot(domains: [config.path])) else { return }
            assertStatus(result, .success)
            assertExactLine(result, BootExpectations.blockFrontTally)
            assertLinesInOrder(result, [BootExpectations.blockFrontDiskFound, BootExpectations.blockFrontBrokenRing,
                                        BootExpectations.blockFrontEnd, BootExpectations.memoryReturned])
            // Sectors 8-15 hold what the frontend wrote (byte i = i * 31 + 7).
            let after = [UInt8](try Data(contentsOf: image))
            let written = (0..<4096).allSatisfy { after[8 * 512 + $0] == UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            XCTAssertTrue(written, "sectors 8-15 of the image do not hold the frontend's write")
        } catch {
            XCTFail("cannot set up the disk: \(error)")
        }
    }

    /// Debian's Linux as a domU with its root file system on xvda (a copy
    /// of build/rootfs.img): blkfront connects, /init switches root, the
    /// command writes a file and syncs; afterwards the file is in the
    /// image and e2fsck finds the file system clean.
    func checkDebianLinuxMountsItsRootFromBlkback(on setup: MachineSetup) {
        guard let root = Self.root else { return XCTFail("no project root") }
        do {
            _ = try DebianKernel.fetch(root: root, reporter: .standardOutput)
            _ = try Initramfs.build(root: root, reporter: .standardOutput)
            let rootFileSystem = try RootFileSystem.build(root: root, reporter: .standardOutput)
            let folder = try DiskScenario.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let image = folder.appendingPathComponent("rootfs.img")
            try FileManager.default.copyItem(at: rootFileSystem, to: image)
            let config = try DiskScenario.writeConfig(in: folder, name: "linux", lines: [
                "kernel = \"\(root.path)/build/third-party/vmlinuz\"",
                "ramdisk = \"\(root.path)/build/initramfs.cpio\"",
                "memory = 256",
                "disk = [ \"\(image.path),raw,xvda,rw\" ]",
                "extra = \"console=hvc0 root=/dev/xvda -- \(BootExpectations.linuxDiskCommand)\"",
            ])
            guard let result = boot(setup, Boot(cmdline: BootExpectations.linuxDomUCmdline, domains: [config.path],
                                                timeout: BootExpectations.linuxTimeout(on: setup),
                                                memoryMB: BootExpectations.linuxDomUMemoryMB)) else { return }
            assertStatus(result, .success)
            assertLinesInOrder(result, BootExpectations.linuxDiskLines.map { LinePattern(prefix: BootExpectations.linuxDomULinePrefix + $0) })
            assertLinesInOrder(result, [LinePattern(prefix: BootExpectations.linuxDomUEnd),
                                        LinePattern(prefix: BootExpectations.memoryReturned),
                                        LinePattern(prefix: BootExpectations.successStatus)])
            // The file the domain wrote and synced is in the host's image, and the file system is clean.
            let file = try DiskScenario.run("debugfs", ["-R", "cat /hello.txt", image.path])
            XCTAssertEqual(file.output.trimmingCharacters(in: .whitespacesAndNewlines), BootExpectations.linuxDiskFileText,
                           "debugfs: \(file.output) \(file.errors)")
            let check = try DiskScenario.run("e2fsck", ["-fn", image.path])
            XCTAssertEqual(check.status, 0, "e2fsck -fn: \(check.output) \(check.errors)")
            // e2fsck -n skips a journal that still needs recovery and may
            // still exit 0: the superblock must say clean, with no journal
            // left to replay.
            let header = try DiskScenario.run("dumpe2fs", ["-h", image.path])
            let state = header.output.split(separator: "\n").first { $0.hasPrefix("Filesystem state:") }
            XCTAssertEqual(state?.split(separator: " ").last, "clean", "dumpe2fs -h: \(header.output)")
            XCTAssertFalse(header.output.contains("needs_recovery"), "the journal needs recovery: \(header.output)")
        } catch {
            XCTFail("cannot fetch or build what Linux needs, or run e2fsprogs: \(error)")
        }
    }
}

/// The files of a disk scenario.
enum DiskScenario {
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xtool-disk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A domain config with absolute paths (the image lives in `folder`).
    static func writeConfig(in folder: URL, name: String, lines: [String]) throws -> URL {
        let file = folder.appendingPathComponent(name + ".cfg")
        try (["name = \"\(name)\""] + lines).joined(separator: "\n").appending("\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Runs an e2fsprogs tool (in /sbin on Debian) and returns what it said.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        let candidates = ["/sbin/" + tool, "/usr/sbin/" + tool, "/usr/bin/" + tool]
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XToolError.missingInput("\(tool) (e2fsprogs) is not installed")
        }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }
}
