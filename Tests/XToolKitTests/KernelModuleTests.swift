import XCTest
@testable import XToolKit

final class KernelModuleTests: XCTestCase {
    /// Bytes like a .ko's: code, then .modinfo's NUL-separated strings.
    private func module(_ strings: [String]) -> Data {
        var data = Data([0x7F, 0x45, 0x4C, 0x46, 0, 1, 2, 0])
        for string in strings { data += Data(string.utf8) + Data([0]) }
        return data + Data([0, 0, 0x90])
    }

    func testModinfoNameDependsAndSoftdeps() throws {
        let ext4 = try XCTUnwrap(KernelModuleInfo(module([
            "license=GPL", "softdep=pre: crypto-crc32c", "depends=jbd2,mbcache,crc16", "retpoline=Y", "name=ext4",
            "vermagic=6.1.0-57-amd64 SMP preempt mod_unload modversions ",
        ])))
        XCTAssertEqual(ext4, KernelModuleInfo(name: "ext4", depends: ["jbd2", "mbcache", "crc16"], softPre: ["crypto-crc32c"]))
        let blkfront = try XCTUnwrap(KernelModuleInfo(module(["depends=", "name=xen_blkfront"])))
        XCTAssertEqual(blkfront, KernelModuleInfo(name: "xen_blkfront"))
        let soft = try XCTUnwrap(KernelModuleInfo(module(["softdep=pre: a b post: c", "name=x"])))
        XCTAssertEqual(soft.softPre, ["a", "b"], "post: ones come later, not before")
        XCTAssertNil(KernelModuleInfo(module(["depends=a"])), "no name, no module")
    }

    func testNamesFromFileNames() {
        XCTAssertEqual(KernelModuleInfo.name(ofFile: "kernel/drivers/block/xen-blkfront.ko"), "xen_blkfront")
        XCTAssertEqual(KernelModuleInfo.name(ofFile: "kernel/fs/ext4/ext4.ko.xz"), "ext4")
        XCTAssertEqual(KernelModuleInfo.name(ofFile: "crc32c-intel.ko.zst"), "crc32c_intel")
    }

    /// Debian 12's kernel, as its modinfo says.
    private let debian: [String: KernelModuleInfo] = [
        "xen_blkfront": KernelModuleInfo(name: "xen_blkfront"),
        // Its modinfo in linux-image-6.1.0-57-amd64: "depends=" (none).
        "xen_privcmd": KernelModuleInfo(name: "xen_privcmd"),
        "ext4": KernelModuleInfo(name: "ext4", depends: ["jbd2", "mbcache", "crc16"], softPre: ["crypto-crc32c"]),
        "jbd2": KernelModuleInfo(name: "jbd2", softPre: ["crypto-crc32c"]),
        "mbcache": KernelModuleInfo(name: "mbcache"),
        "crc16": KernelModuleInfo(name: "crc16"),
        "crc32c_generic": KernelModuleInfo(name: "crc32c_generic"),
    ]

    func testEachModuleComesAfterWhatItNeeds() throws {
        let order = try KernelModuleInfo.loadOrder(DebianKernelModules.wanted, providers: DebianKernelModules.providers) { self.debian[$0] }
        XCTAssertEqual(order, ["xen_blkfront", "crc32c_generic", "jbd2", "mbcache", "crc16", "ext4", "xen_privcmd"])
        XCTAssertEqual(Set(order).count, order.count, "each once")
    }

    func testAMissingDependencyOrACircleIsAnError() {
        var broken = debian
        broken["jbd2"] = nil
        XCTAssertThrowsError(try KernelModuleInfo.loadOrder(["ext4"], providers: [:]) { broken[$0] }) { error in
            XCTAssertEqual("\(error)".contains("jbd2"), true, "\(error)")
        }
        let circle = ["a": KernelModuleInfo(name: "a", depends: ["b"]), "b": KernelModuleInfo(name: "b", depends: ["a"])]
        XCTAssertThrowsError(try KernelModuleInfo.loadOrder(["a"], providers: [:]) { circle[$0] })
        let order = try? KernelModuleInfo.loadOrder(["ext4"], providers: [:]) { self.debian[$0] }
        XCTAssertEqual(order, ["jbd2", "mbcache", "crc16", "ext4"], "a soft dependency without a provider is left out")
    }

    func testAFinishedModulesFolderIsReused() throws {
        let temp = try TemporaryFolder()
        XCTAssertNil(DebianKernelModules.existing(in: temp.url))
        try temp.write("load-order", "b.ko\na.ko\n")
        try temp.write("b.ko", "b")
        XCTAssertNil(DebianKernelModules.existing(in: temp.url), "a.ko is missing: fetch again")
        try temp.write("a.ko", "a")
        XCTAssertEqual(DebianKernelModules.existing(in: temp.url)?.map(\.lastPathComponent), ["b.ko", "a.ko"])
    }
}
