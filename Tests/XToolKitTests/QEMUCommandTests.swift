import XCTest
@testable import XToolKit

final class QEMUCommandTests: XCTestCase {
    private let qemu = URL(fileURLWithPath: "/usr/bin/qemu-system-x86_64")

    func testTCGCommandLine() {
        let command = QEMUCommand(
            executable: qemu, kernel: "/p/build/hypervisor.elf", cmdline: "console=com1",
            modules: [BootModule(file: URL(fileURLWithPath: "/p/build/guests/dom0.elf"))], useKVM: false
        )
        XCTAssertEqual(command.arguments, [
            "-machine", "pc", "-cpu", "max", "-m", "256", "-smp", "1", "-display", "none",
            "-serial", "stdio", "-monitor", "none", "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-kernel", "/p/build/hypervisor.elf", "-append", "console=com1",
            "-initrd", "/p/build/guests/dom0.elf",
        ])
    }

    func testKVMUsesHostCPU() {
        let command = QEMUCommand(executable: qemu, kernel: "k", cmdline: "c", modules: [], useKVM: true)
        XCTAssertTrue(command.arguments.contains("-enable-kvm"))
        XCTAssertEqual(command.arguments.firstIndex(of: "host").map { command.arguments[$0 - 1] }, "-cpu")
        XCTAssertFalse(command.arguments.contains("-initrd"), "no modules, no -initrd")
    }

    func testCPUModelOverride() {
        let command = QEMUCommand(executable: qemu, kernel: "k", cmdline: "c", modules: [], useKVM: false, cpuModel: "qemu64,+svm,+npt")
        XCTAssertTrue(command.arguments.contains("qemu64,+svm,+npt"))
        XCTAssertFalse(command.arguments.contains("max"))
    }

    func testIcountCountsInstructions() {
        let plain = QEMUCommand(executable: qemu, kernel: "k", cmdline: "c", modules: [], useKVM: false)
        XCTAssertFalse(plain.arguments.contains("-icount"))
        let counted = QEMUCommand(executable: qemu, kernel: "k", cmdline: "c", modules: [], useKVM: false, icount: true)
        let index = try? XCTUnwrap(counted.arguments.firstIndex(of: "-icount"))
        XCTAssertEqual(index.map { counted.arguments[$0 + 1] }, "shift=0")
    }

    func testMemory() {
        let command = QEMUCommand(executable: qemu, kernel: "k", cmdline: "c", modules: [], useKVM: false, memoryMB: 1024)
        let index = try? XCTUnwrap(command.arguments.firstIndex(of: "-m"))
        XCTAssertEqual(index.map { command.arguments[$0 + 1] }, "1024")
        XCTAssertEqual(command.arguments.filter { $0 == "-m" }.count, 1)
    }

    func testMemoryRange() {
        XCTAssertNil(BootRequest.memoryProblem(BootRequest.defaultMemoryMB))
        XCTAssertNil(BootRequest.memoryProblem(64))
        XCTAssertNil(BootRequest.memoryProblem(4096))
        XCTAssertEqual(BootRequest.memoryProblem(63), "--memory 63: the machine's RAM must be 64 to 4096 MiB")
        XCTAssertNotNil(BootRequest.memoryProblem(4097))
        XCTAssertNotNil(BootRequest.memoryProblem(0))
        XCTAssertNotNil(BootRequest.memoryProblem(-256))
    }

    func testInitrdJoinsModulesWithArguments() {
        let modules = [
            BootModule(file: URL(fileURLWithPath: "/g/a.elf"), arguments: "x=1 y"),
            BootModule(file: URL(fileURLWithPath: "/g/b.elf")),
        ]
        XCTAssertEqual(QEMUCommand.initrdArgument(modules), "/g/a.elf x=1 y,/g/b.elf")
    }

    func testInitrdDoublesCommasInArgumentsAndPaths() {
        let modules = [
            BootModule(file: URL(fileURLWithPath: "/g/a.elf"), arguments: "list=1,2,3"),
            BootModule(file: URL(fileURLWithPath: "/odd,dir/b.elf"), arguments: ""),
        ]
        XCTAssertEqual(QEMUCommand.initrdArgument(modules), "/g/a.elf list=1,,2,,3,/odd,,dir/b.elf")
    }

    func testModuleParsing() {
        let folder = URL(fileURLWithPath: "/work/p", isDirectory: true)
        let module = BootModule(parsing: "build/guests/dom0.elf  console=hvc0 verbose", relativeTo: folder)
        XCTAssertEqual(module.file.path, "/work/p/build/guests/dom0.elf")
        XCTAssertEqual(module.arguments, "console=hvc0 verbose")

        let absolute = BootModule(parsing: "/tmp/x.elf", relativeTo: folder)
        XCTAssertEqual(absolute.file.path, "/tmp/x.elf")
        XCTAssertEqual(absolute.arguments, "")
    }
}
