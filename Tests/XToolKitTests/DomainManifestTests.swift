import XCTest
@testable import XToolKit

final class DomainManifestTests: XCTestCase {
    private let worker = URL(fileURLWithPath: "/p/build/guests/worker.elf")
    private let other = URL(fileURLWithPath: "/p/other.elf")

    func testOneLinePerDomainAfterTheHeader() {
        let manifest = DomainManifest(domains: [
            DomainConfig(name: "alpha", kernel: worker, cmdline: "mode=count lines=5"),
            DomainConfig(name: "gamma", kernel: other, memoryMiB: 32, onCrash: .preserve),
            DomainConfig(name: "spinner", kernel: worker, cmdline: "mode=spin", stopAfter: .others),
        ])
        XCTAssertEqual(manifest.text, """
            # domains for dom0 to build (xtool boot); kernel=N is dom0's boot module N
            domain name=alpha kernel=1 memory=16 vcpus=1 on_poweroff=destroy on_reboot=destroy on_crash=destroy stop_after=none cmdline=mode=count lines=5
            domain name=gamma kernel=2 memory=32 vcpus=1 on_poweroff=destroy on_reboot=destroy on_crash=preserve stop_after=none cmdline=
            domain name=spinner kernel=1 memory=16 vcpus=1 on_poweroff=destroy on_reboot=destroy on_crash=destroy stop_after=others cmdline=mode=spin

            """)
    }

    func testLineNumbersAreThoseOfTheText() {
        let manifest = DomainManifest(domains: ["a", "b", "c"].map { DomainConfig(name: $0, kernel: worker) })
        let lines = manifest.text.split(separator: "\n")
        for (index, domain) in manifest.domains.enumerated() {
            XCTAssertTrue(lines[manifest.lineNumber(ofDomainAt: index) - 1].hasPrefix("domain name=\(domain.name) "))
        }
    }

    func testEachKernelOnceInOrderOfFirstUse() {
        let sameFileOtherSpelling = URL(fileURLWithPath: "/p/build/../build/guests/worker.elf").standardizedFileURL
        let manifest = DomainManifest(domains: [
            DomainConfig(name: "a", kernel: other),
            DomainConfig(name: "b", kernel: worker),
            DomainConfig(name: "c", kernel: sameFileOtherSpelling),
        ])
        XCTAssertEqual(manifest.files.map(\.path), [other.path, worker.path])
        XCTAssertEqual(manifest.domains.map(manifest.kernelModuleIndex), [1, 2, 2])
    }

    func testModulesAreTheManifestThenTheKernels() {
        let manifest = DomainManifest(domains: [
            DomainConfig(name: "a", kernel: worker),
            DomainConfig(name: "b", kernel: other),
            DomainConfig(name: "c", kernel: worker),
        ])
        let file = URL(fileURLWithPath: "/p/build/manifest.txt")
        XCTAssertEqual(manifest.modules(manifestFile: file), [
            BootModule(file: file, arguments: "manifest"),
            BootModule(file: worker),
            BootModule(file: other),
        ])
    }

    func testCmdlineWithSpacesAndQuotesIsKeptAsIs() {
        let manifest = DomainManifest(domains: [DomainConfig(name: "q", kernel: worker, cmdline: "say \"hi\"  twice ")])
        XCTAssertTrue(manifest.text.hasSuffix(" cmdline=say \"hi\"  twice \n"), manifest.text)
    }

    func testRamdisksAreModulesAfterTheirKernelAndNamedOnTheLine() {
        let linux = URL(fileURLWithPath: "/p/build/unpacked/vmlinuz.elf")
        let initrd = URL(fileURLWithPath: "/p/build/initramfs.cpio")
        let manifest = DomainManifest(domains: [
            DomainConfig(name: "a", kernel: worker),
            DomainConfig(name: "linux", kernel: linux, cmdline: "console=hvc0", ramdisk: initrd),
            DomainConfig(name: "again", kernel: linux, ramdisk: initrd),
        ])
        XCTAssertEqual(manifest.files.map(\.path), [worker.path, linux.path, initrd.path])
        XCTAssertEqual(manifest.domains.map(manifest.ramdiskModuleIndex), [nil, 3, 3])
        let lines = manifest.text.split(separator: "\n")
        XCTAssertEqual(lines[1], "domain name=a kernel=1 memory=16 vcpus=1 on_poweroff=destroy on_reboot=destroy on_crash=destroy stop_after=none cmdline=")
        XCTAssertEqual(lines[2], "domain name=linux kernel=2 ramdisk=3 memory=16 vcpus=1 on_poweroff=destroy on_reboot=destroy on_crash=destroy stop_after=none cmdline=console=hvc0")
    }
}
