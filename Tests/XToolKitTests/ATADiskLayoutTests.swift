import XCTest
@testable import XToolKit

final class ATADiskLayoutTests: XCTestCase {
    private let cylinder = ATADiskLayout.bochsCylinderBytes

    /// Domains with `counts[i]` disks each, named d0, d1, ..., files /img/dN-M.img.
    private func domains(_ counts: [Int], readOnly: Bool = false) -> [DomainConfig] {
        counts.enumerated().map { index, count in
            DomainConfig(
                name: "d\(index)", kernel: URL(fileURLWithPath: "/k"),
                disks: (0..<count).map { disk in
                    DiskConfig(file: URL(fileURLWithPath: "/img/d\(index)-\(disk).img"), vdev: DiskConfig.vdevNames[disk],
                               virtualDevice: DiskConfig.virtualDevice(of: DiskConfig.vdevNames[disk])!, readOnly: readOnly, line: 5 + disk)
                },
                source: DomainConfig.Source(path: "d\(index).cfg", nameLine: 1, kernelLine: 2)
            )
        }
    }

    private func layout(_ counts: [Int], on machine: Machine, size: Int? = nil) throws(DomainConfigErrors) -> ATADiskLayout {
        let bytes = size ?? 128 * cylinder
        return try ATADiskLayout(domains: domains(counts), machine: machine, size: { _ in bytes })
    }

    private func messages(_ body: () throws(DomainConfigErrors) -> Void) -> [String] {
        do throws(DomainConfigErrors) {
            try body()
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    func testBochsCylindersAreSixteenHeadsOfSixtyThreeSectors() {
        XCTAssertEqual(cylinder, 516096)
        XCTAssertEqual(RootFileSystem.sizeBytes % cylinder, 0, "the root file system fits Bochs")
        XCTAssertEqual(RootFileSystem.sizeBytes / cylinder, 128)
    }

    func testQEMUDisksTakePositionsZeroToThreeInManifestOrder() throws {
        XCTAssertEqual(try layout([1], on: .qemu).attachments.map(\.position), [0])
        XCTAssertEqual(try layout([2, 0, 2], on: .qemu).attachments.map(\.position), [0, 1, 2, 3])
        XCTAssertEqual(try layout([2, 0, 2], on: .qemu).attachments.map(\.domain), ["d0", "d0", "d2", "d2"])
        XCTAssertEqual(try layout([1, 1], on: .kvm).attachments.map(\.position), [0, 1])
        XCTAssertEqual(try layout([0], on: .qemu).qemuArguments, [])
    }

    func testQEMUArguments() throws {
        for count in 1...4 {
            let arguments = try layout([count], on: .qemu).qemuArguments
            XCTAssertEqual(arguments, (0..<count).flatMap { position in
                ["-drive", "file=/img/d0-\(position).img,format=raw,if=ide,index=\(position),media=disk"]
            })
        }
        var comma = domains([1])
        comma[0].disks[0].file = URL(fileURLWithPath: "/img/a,b.img")
        XCTAssertEqual(try ATADiskLayout(domains: comma, machine: .qemu, size: { _ in 512 }).qemuArguments,
                       ["-drive", "file=/img/a,,b.img,format=raw,if=ide,index=0,media=disk"], "a comma in -drive is doubled")
        let readOnly = try ATADiskLayout(domains: domains([1], readOnly: true), machine: .qemu, size: { _ in 512 })
        XCTAssertEqual(readOnly.qemuArguments[1], "file=/img/d0-0.img,format=raw,if=ide,index=0,media=disk",
                       "QEMU's IDE has no read-only disks: dom0 enforces ro")
    }

    func testTheQEMUCommandEndsWithTheDrives() {
        let drives = ["-drive", "file=/r.img,format=raw,if=ide,index=0,media=disk"]
        let command = QEMUCommand(executable: URL(fileURLWithPath: "/q"), kernel: "k", cmdline: "c", modules: [], useKVM: false, disks: drives)
        XCTAssertEqual(Array(command.arguments.suffix(2)), drives)
        XCTAssertFalse(QEMUCommand(executable: URL(fileURLWithPath: "/q"), kernel: "k", cmdline: "c", modules: [], useKVM: false)
            .arguments.contains("-drive"))
    }

    func testBochsDisksFollowTheBootCDROM() throws {
        XCTAssertEqual(try layout([3], on: .bochs).attachments.map(\.position), [1, 2, 3])
        XCTAssertEqual(try layout([1, 1], on: .bochs).attachments.map(\.position), [1, 2])
    }

    func testBochsConfigLinesForOneToThreeDisks() throws {
        let expected = [
            "ata0-slave: type=disk, path=disk1.img, mode=flat, cylinders=128, heads=16, spt=63",
            "ata1-master: type=disk, path=disk2.img, mode=flat, cylinders=128, heads=16, spt=63",
            "ata1-slave: type=disk, path=disk3.img, mode=flat, cylinders=128, heads=16, spt=63",
        ]
        let channel = "ata1: enabled=1, ioaddr1=0x170, ioaddr2=0x370, irq=15"
        for count in 1...3 {
            var config = BochsConfig()
            config.disks = try layout([count], on: .bochs).attachments
            let lines = config.text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
            let cdrom = try XCTUnwrap(lines.firstIndex(of: "ata0-master: type=cdrom, path=boot.iso, status=inserted"))
            let disks = lines.filter { $0.hasPrefix("ata") && $0 != lines[cdrom] && $0 != channel }
            XCTAssertEqual(disks, Array(expected.prefix(count)), "\(count) disks")
            XCTAssertEqual(lines.contains(channel), count >= 2, "the secondary channel only when a disk is on it")
            if let index = lines.firstIndex(of: channel) {
                XCTAssertLessThan(index, lines.firstIndex(of: expected[1])!, "the channel before its drives")
            }
            XCTAssertFalse(config.text.contains("/img/"), "links in Bochs' folder, no paths")
        }
        XCTAssertEqual(BochsConfig().diskLines, "")
        XCTAssertFalse(BochsConfig().text.contains("type=disk"))
    }

    func testBochsCountsCylindersAndRefusesPartialOnes() throws {
        var config = BochsConfig()
        config.disks = try layout([1], on: .bochs, size: 2 * cylinder).attachments
        XCTAssertTrue(config.diskLines.contains("cylinders=2, heads=16, spt=63"), config.diskLines)
        XCTAssertEqual(messages { () throws(DomainConfigErrors) in _ = try layout([1], on: .bochs, size: 1024 * 1024) }, [
            "d0.cfg:5: disk xvda: /img/d0-0.img is 1048576 bytes: Bochs takes only whole cylinders of 16 heads x 63 sectors (516096 bytes), e.g. 1548288 bytes (truncate -s 1548288 FILE)",
        ])
        XCTAssertEqual(messages { () throws(DomainConfigErrors) in _ = try layout([1], on: .qemu, size: 1024 * 1024) }, [], "QEMU takes any whole sectors")
    }

    func testTooManyDisks() {
        XCTAssertEqual(messages { () throws(DomainConfigErrors) in _ = try layout([4], on: .qemu) }, [])
        XCTAssertEqual(messages { () throws(DomainConfigErrors) in _ = try layout([3, 2], on: .qemu) }, [
            "d1.cfg:6: disk xvdb: no IDE position left for /img/d1-1.img: qemu has 4 for disks, and the domains have 5",
        ])
        XCTAssertEqual(messages { () throws(DomainConfigErrors) in _ = try layout([4], on: .bochs) }, [
            "d0.cfg:8: disk xvdd: no IDE position left for /img/d0-3.img: bochs has 3 for disks (its primary master is the boot CD-ROM), and the domains have 4",
        ])
    }

    func testManifestDiskWords() {
        let kernel = URL(fileURLWithPath: "/k")
        var linux = DomainConfig(name: "linux", kernel: kernel, cmdline: "console=hvc0 root=/dev/xvda")
        linux.disks = [
            DiskConfig(file: URL(fileURLWithPath: "/r.img"), vdev: "xvda", virtualDevice: 51712),
            DiskConfig(file: URL(fileURLWithPath: "/d.img"), vdev: "xvdc", virtualDevice: 51744, readOnly: true),
        ]
        var other = DomainConfig(name: "other", kernel: kernel)
        other.disks = [DiskConfig(file: URL(fileURLWithPath: "/o.img"), vdev: "xvda", virtualDevice: 51712)]
        let plain = DomainConfig(name: "plain", kernel: kernel, cmdline: "x")
        let lines = DomainManifest(domains: [linux, plain, other]).text.split(separator: "\n")
        XCTAssertEqual(lines[1], "domain name=linux kernel=1 memory=16 vcpus=1 on_poweroff=destroy on_reboot=destroy on_crash=destroy stop_after=none disk=0,51712,w disk=1,51744,r cmdline=console=hvc0 root=/dev/xvda")
        XCTAssertEqual(lines[2], "domain name=plain kernel=1 memory=16 vcpus=1 on_poweroff=destroy on_reboot=destroy on_crash=destroy stop_after=none cmdline=x")
        XCTAssertTrue(lines[3].hasSuffix(" stop_after=none disk=2,51712,w cmdline="), String(lines[3]))
        let bochs = DomainManifest(domains: [linux, plain, other], firstDiskPosition: ATADiskLayout.firstPosition(on: .bochs))
        XCTAssertEqual(bochs.diskWords, [["disk=1,51712,w", "disk=2,51744,r"], [], ["disk=3,51712,w"]])
        let request = BootRequest(domains: [linux])
        XCTAssertEqual(request.manifest(on: .bochs)?.diskWords, [["disk=1,51712,w", "disk=2,51744,r"]])
        XCTAssertEqual(request.manifest(on: .qemu)?.diskWords, [["disk=0,51712,w", "disk=1,51744,r"]])
        XCTAssertEqual(request.manifest?.diskWords, request.manifest(on: .qemu)?.diskWords)
    }

    func testTheLinuxDiskConfigParses() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let configs = try DomainConfigLoader.load(["Tests/BootTests/Configs/linux-disk.cfg"], relativeTo: root)
        XCTAssertEqual(configs[0].disks.map(\.file.path), [root.appendingPathComponent("build/rootfs.img").standardizedFileURL.path])
        XCTAssertEqual(configs[0].disks.map(\.virtualDevice), [51712])
        XCTAssertTrue(configs[0].cmdline.hasPrefix("console=hvc0 root=/dev/xvda -- "), configs[0].cmdline)
    }
}
