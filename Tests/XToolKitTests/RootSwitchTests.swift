import XCTest
@testable import XToolKit

/// The initramfs's root= branch, run with the host's /bin/sh: its paths
/// moved into a temporary folder and the commands that need a Linux
/// (insmod, mount, switch_root, sleep) replaced by scripts that log.
final class RootSwitchTests: XCTestCase {
    private func rootDevice(_ commandLine: String) throws -> String {
        try run(InitScript.rootFunction + "\nroot_device \"$1\"", arguments: [commandLine]).output
    }

    private func run(_ script: String, arguments: [String] = [], environment: [String: String] = [:]) throws -> (output: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "sh"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: text, as: UTF8.self), process.terminationStatus)
    }

    func testRootDeviceIsAXenDiskBeforeTheDashes() throws {
        XCTAssertEqual(try rootDevice("console=hvc0 root=/dev/xvda -- echo hi"), "/dev/xvda\n")
        XCTAssertEqual(try rootDevice("root=/dev/xvdp"), "/dev/xvdp\n")
        XCTAssertEqual(try rootDevice("root=/dev/xvdb1 ro"), "/dev/xvdb1\n", "a partition")
        XCTAssertEqual(try rootDevice("console=hvc0 -- echo root=/dev/xvda"), "", "the command's words are not the kernel's")
        XCTAssertEqual(try rootDevice("console=hvc0"), "")
        XCTAssertEqual(try rootDevice("root=/dev/sda"), "", "only Xen virtual disks")
        XCTAssertEqual(try rootDevice("root=/dev/xvdq"), "")
        XCTAssertEqual(try rootDevice("root=/dev/xvd*"), "", "no globbing")
        XCTAssertEqual(try rootDevice("noroot=/dev/xvda"), "")
    }

    /// A sandbox: fake /dev, /lib/modules, /newroot and /proc/cmdline, and
    /// logging stand-ins for the Linux-only commands.
    private final class Sandbox {
        let temp: TemporaryFolder
        let bin: URL
        init(modules: [String]?, device: Bool, initOnDisk: Bool = true, mountFails: Bool = false) throws {
            temp = try TemporaryFolder()
            bin = temp.url.appendingPathComponent("bin")
            for name in ["insmod", "sleep", "switch_root", "umount"] {
                try stub(name, "echo \"\(name) $*\"")
            }
            try stub("mount", mountFails ? "echo \"mount $*\"; exit 1" : "echo \"mount $*\"")
            if let modules {
                try temp.write("lib/modules/load-order", modules.map { $0 + "\n" }.joined())
            }
            if device { try temp.write("dev/xvda") }
            if initOnDisk { try temp.write("newroot/sbin/init") }
            if initOnDisk { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temp.url.appendingPathComponent("newroot/sbin/init").path) }
        }

        private func stub(_ name: String, _ body: String) throws {
            let file = try temp.write("bin/\(name)", "#!/bin/sh\n\(body)\n")
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }

        /// The branch with its absolute paths under the sandbox, and a
        /// device test that takes a regular file.
        func script(commandLine: String) throws -> String {
            try temp.write("proc/cmdline", commandLine)
            let base = temp.url.path
            let branch = InitScript.rootBranch
                .replacingOccurrences(of: "-b \"$root\"", with: "-e \"\(base)$root\"")
                .replacingOccurrences(of: "\"$root\" /newroot", with: "\"$root\" \(base)/newroot")
                .replacingOccurrences(of: "/newroot", with: "\(base)/newroot")
                .replacingOccurrences(of: "\(base)\(base)", with: base)
                .replacingOccurrences(of: "/lib/modules", with: "\(base)/lib/modules")
                .replacingOccurrences(of: "/proc/cmdline", with: "\(base)/proc/cmdline")
            return "PATH=\(bin.path):$PATH\n" + InitScript.rootFunction + "\n" + branch + "\necho fell-through\n"
        }
    }

    func testRootEqualsXvdaLoadsTheModulesMountsAndSwitches() throws {
        let sandbox = try Sandbox(modules: ["xen-blkfront.ko", "ext4.ko"], device: true)
        let base = sandbox.temp.url.path
        let result = try run(try sandbox.script(commandLine: "console=hvc0 root=/dev/xvda -- echo hi"))
        XCTAssertEqual(result.output.split(separator: "\n").map(String.init), [
            "insmod \(base)/lib/modules/xen-blkfront.ko",
            "insmod \(base)/lib/modules/ext4.ko",
            "mount -t ext4 -o rw /dev/xvda \(base)/newroot",
            "mount --move /proc \(base)/newroot/proc",
            "mount --move /sys \(base)/newroot/sys",
            "mount --move /dev \(base)/newroot/dev",
            "initramfs: switching to /dev/xvda",
            "switch_root \(base)/newroot /sbin/init",
        ])
        XCTAssertEqual(result.status, 0)
    }

    func testWithoutRootNothingHappens() throws {
        let sandbox = try Sandbox(modules: ["ext4.ko"], device: true)
        XCTAssertEqual(try run(try sandbox.script(commandLine: "console=hvc0 -- echo root=/dev/xvda")).output, "fell-through\n")
    }

    func testADeviceThatNeverComesIsWaitedForTenSecondsThenLeftAlone() throws {
        let sandbox = try Sandbox(modules: [], device: false)
        let lines = try run(try sandbox.script(commandLine: "root=/dev/xvda")).output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, Array(repeating: "sleep 1", count: InitScript.rootWaitSeconds) + [
            "initramfs: root=/dev/xvda: no such device after 10 s: staying in the initramfs",
            "fell-through",
        ])
    }

    func testNoModulesMountFailureAndNoInit() throws {
        let noModules = try Sandbox(modules: nil, device: true, mountFails: true)
        let base = noModules.temp.url.path
        XCTAssertEqual(try run(try noModules.script(commandLine: "root=/dev/xvda")).output, """
            initramfs: no kernel modules in this initramfs
            mount -t ext4 -o rw /dev/xvda \(base)/newroot
            initramfs: root=/dev/xvda: cannot mount it (ext4): staying in the initramfs
            fell-through

            """)
        let noInit = try Sandbox(modules: ["a.ko"], device: true, initOnDisk: false)
        let lines = try run(try noInit.script(commandLine: "root=/dev/xvda")).output.split(separator: "\n")
        XCTAssertEqual(lines.suffix(3).map(String.init), [
            "initramfs: root=/dev/xvda has no /sbin/init: staying in the initramfs",
            "umount \(noInit.temp.url.path)/newroot",
            "fell-through",
        ])
    }

    func testTheBranchComesAfterTheAppletsAndBeforeTheCommand() throws {
        let text = InitScript.text
        let install = try XCTUnwrap(text.range(of: "/bin/busybox --install -s"))
        let branch = try XCTUnwrap(text.range(of: "root=$(root_device \"$(cat /proc/cmdline)\")"))
        let command = try XCTUnwrap(text.range(of: "command=$(command_after_dashes"))
        XCTAssertLessThan(install.lowerBound, branch.lowerBound, "insmod and switch_root are busybox applets")
        XCTAssertLessThan(branch.lowerBound, command.lowerBound)
        XCTAssertTrue(text.contains("exec switch_root /newroot /sbin/init"))
    }
}
