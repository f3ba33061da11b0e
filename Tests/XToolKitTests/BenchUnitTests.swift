import XCTest
@testable import XToolKit

final class BenchUnitTests: XCTestCase {
    func testEachMachineNamesItsUnit() {
        XCTAssertEqual(BenchUnit.label(machine: .qemu, icount: true), "instructions")
        XCTAssertEqual(BenchUnit.label(machine: .qemu, icount: false), "TSC ticks")
        XCTAssertEqual(BenchUnit.label(machine: .bochs, icount: false), "TSC ticks")
        XCTAssertTrue(BenchUnit.explanation(machine: .bochs, icount: false).contains("one tick per emulated instruction"))
        XCTAssertTrue(BenchUnit.explanation(machine: .qemu, icount: false).contains("not repeatable"))
        XCTAssertEqual(BenchUnit.label(machine: .kvm, icount: false), "cycles")
        XCTAssertTrue(BenchUnit.isDeterministic(machine: .qemu, icount: true))
        XCTAssertFalse(BenchUnit.isDeterministic(machine: .qemu, icount: false))
        XCTAssertFalse(BenchUnit.isDeterministic(machine: .kvm, icount: false))
    }

    func testRequestsThatCannotRun() {
        XCTAssertNil(BenchRequest.problem(machine: .qemu, icount: true, runs: 2, againstXen: true))
        XCTAssertNotNil(BenchRequest.problem(machine: .bochs, icount: true, runs: 2, againstXen: false))
        XCTAssertNotNil(BenchRequest.problem(machine: .bochs, icount: false, runs: 2, againstXen: true))
        XCTAssertNotNil(BenchRequest.problem(machine: .qemu, icount: false, runs: 0, againstXen: false))
        XCTAssertNotNil(BenchRequest.problem(machine: .auto, icount: false, runs: 1, againstXen: false))
    }

    func testXenPackageAndItsFinalLines() {
        XCTAssertEqual(XenHypervisor.dependency(in: "xen-system-amd64\n  Depends: xen-hypervisor-4.17-amd64\n  Depends: xen-hypervisor-common\n"),
                       "xen-hypervisor-4.17-amd64")
        XCTAssertNil(XenHypervisor.dependency(in: "xen-system-amd64\n  Depends: xen-hypervisor-common\n"))
        XCTAssertTrue(XenBoot.isFinalLine("(XEN) Hardware Dom0 halted: halting machine"))
        XCTAssertTrue(XenBoot.isFinalLine("bench: end"))
        XCTAssertFalse(XenBoot.isFinalLine("(XEN) Freed 656kB init memory"))
        XCTAssertFalse(XenBoot.isFinalLine("bench: row cpuid 1 | (XEN) Hardware Dom0 halted"))
        XCTAssertEqual(BenchRunner.xenSeriesName(URL(fileURLWithPath: "/b/xen-4.17-amd64")), "xen-4.17")
    }

    /// The bench's Bochs boots run one instruction per emulated nanosecond,
    /// so that slice ends do not fall inside the batches; other machines
    /// and plain boots keep Bochs' own speed.
    func testOnlyTheBenchsBochsBootsSetTheirSpeed() throws {
        let root = URL(fileURLWithPath: "/project")
        let boot = BenchBoot(name: "plain")
        XCTAssertEqual(try boot.request(machine: .bochs, icount: false, root: root, reporter: .silent).bochsInstructionsPerSecond,
                       BenchUnit.bochsInstructionsPerSecond)
        XCTAssertNil(try boot.request(machine: .qemu, icount: true, root: root, reporter: .silent).bochsInstructionsPerSecond)
        XCTAssertNil(BootRequest(machine: .bochs).bochsInstructionsPerSecond)
        XCTAssertTrue(BenchUnit.explanation(machine: .bochs, icount: false).contains("ips=1000000000"))
    }

    func testBootsWithAMissingFileAreSkipped() throws {
        let folder = try TemporaryFolder()
        let boot = BenchBoot(name: "linux", needs: [BenchBoot.Need(file: "build/third-party/vmlinuz", howToGet: "xtool fetch linux")])
        XCTAssertEqual(boot.missingNeed(root: folder.url)?.file, "build/third-party/vmlinuz")
        XCTAssertNil(BenchBoot(name: "plain").missingNeed(root: folder.url))
    }

    func testTheBootTableIsConsistent() {
        let names = BenchBoot.all.map(\.name)
        XCTAssertEqual(Set(names).count, names.count, "names are unique: they name the transcripts")
        XCTAssertTrue(BenchBoot.all.filter(\.runsUnderXen).allSatisfy { $0.dom0 != nil && $0.domains.isEmpty },
                      "Xen boots one guest as dom0 and builds no domains")
        XCTAssertTrue(BenchBoot.all.contains { $0.runsUnderXen })
    }

    /// Every boot prints the hypervisor's boot-to-dom0 row, for its own dom0:
    /// only the bench guest's boot's counts.
    func testOnlyTheBenchGuestsBootKeepsTheBootRow() {
        let rows = [BenchRow(key: BenchBoot.bootRowKey, values: [55_000_000], label: "boot"),
                    BenchRow(key: "cpuid", values: [271], label: "c")]
        let keeping = BenchBoot.all.filter(\.keepsBootRow)
        XCTAssertEqual(keeping.map(\.name), ["dom0"])
        XCTAssertEqual(keeping[0].countedRows(rows).map(\.key), [BenchBoot.bootRowKey, "cpuid"])
        XCTAssertEqual(BenchBoot(name: "pair").countedRows(rows).map(\.key), ["cpuid"])
    }

    func testCombiningBootsLeavesOutARepeatedKey() {
        var first = BenchTranscript()
        first.rows = [BenchRow(key: "cpuid", values: [1], label: "c")]
        var second = BenchTranscript()
        second.rows = [BenchRow(key: "cpuid", values: [2], label: "c"), BenchRow(key: "yield", values: [3], label: "y")]
        let combined = BenchRunner.combine([("dom0", first), ("pair", second)], series: "ours", run: 1)
        XCTAssertEqual(combined.rows.map(\.values), [[1], [3]])
        XCTAssertEqual(combined.problems, ["ours run 1: pair prints cpuid again (an earlier boot had it; left out)"])
    }
}
