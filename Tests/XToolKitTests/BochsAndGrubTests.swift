import XCTest
@testable import XToolKit

final class BochsAndGrubTests: XCTestCase {
    func testGrubConfig() {
        let config = GrubConfig(cmdline: "console=com1 loglevel=3", modules: [
            .init(fileName: "dom0.elf", arguments: ""),
            .init(fileName: "ping.elf", arguments: "count=3"),
        ])
        XCTAssertEqual(config.text, """
        set timeout=0
        set default=0
        menuentry "hypervisor" {
          multiboot /boot/hypervisor.elf /boot/hypervisor.elf console=com1 loglevel=3
          module /boot/dom0.elf /boot/dom0.elf
          module /boot/ping.elf /boot/ping.elf count=3
          boot
        }

        """)
    }

    func testGrubQuotesWordsGrubWouldInterpret() {
        XCTAssertEqual(GrubConfig.words("a=1 b=$x c;d it's"), "a=1 'b=$x' 'c;d' 'it'\\''s'")
    }

    func testBochsConfig() {
        let text = BochsConfig(cpuModel: "ryzen").text
        let lines = text.split(separator: "\n").map(String.init)
        for expected in [
            "memory: guest=256, host=256",
            "cpu: model=ryzen, reset_on_triple_fault=0",
            "ata0-master: type=cdrom, path=boot.iso, status=inserted",
            "boot: cdrom",
            "com1: enabled=1, mode=file, dev=com1.log",
            "romimage: file=/usr/share/bochs/BIOS-bochs-latest",
            "vgaromimage: file=/usr/share/vgabios/vgabios.bin",
            "port_e9_hack: enabled=1",
            "display_library: sdl2",
            "clock: sync=none",
            "log: bochs.log",
            "panic: action=fatal, cpu0=report",
        ] {
            XCTAssertTrue(lines.contains(expected), "bochsrc lacks \(expected)")
        }
        XCTAssertFalse(text.contains("${"), "Bochs does not expand ${VAR}")
        XCTAssertFalse(text.contains("ips="), "Bochs' default speed unless asked")
    }

    func testBochsInstructionsPerSecondGoOnTheCPULine() {
        var config = BochsConfig(cpuModel: "ryzen")
        config.instructionsPerSecond = 1_000_000_000
        XCTAssertTrue(config.text.contains("\ncpu: model=ryzen, ips=1000000000, reset_on_triple_fault=0\n"))
    }

    func testSerialGoesToATerminalWhenThereIsOne() {
        var config = BochsConfig()
        config.serialDevice = "/dev/pts/7"
        XCTAssertTrue(config.text.contains("com1: enabled=1, mode=file, dev=/dev/pts/7\n"))
    }

    func testSerialReadsTheTerminalOnlyWhenKeysAreForwarded() {
        var config = BochsConfig()
        config.serialDevice = "/dev/pts/7"
        config.serialReadsInput = true
        XCTAssertTrue(config.text.contains("com1: enabled=1, mode=term, dev=/dev/pts/7\n"))
        XCTAssertFalse(BochsConfig().text.contains("mode=term"), "no input unless asked")
    }

    func testBochsMemoryAboveWhatItAllocatesOnTheHost() {
        var config = BochsConfig()
        config.memoryMB = 512
        XCTAssertTrue(config.text.contains("\nmemory: guest=512, host=512\n"))
        config.memoryMB = 4096
        XCTAssertTrue(config.text.contains("\nmemory: guest=4096, host=2048\n"), "Bochs refuses host= above 2048")
        XCTAssertFalse(config.text.contains("megs:"), "megs: sets host= too")
    }

    func testBochsDefaultsToAVMXModel() {
        XCTAssertTrue(BochsConfig().text.contains("model=corei7_skylake_x"))
        XCTAssertEqual(BochsConfig.debuggerCommands, String(repeating: "c\n", count: 9) + "q\n",
                       "one c to start, one per CPU panic survived, then quit")
        XCTAssertEqual(BochsConfig.environment["SDL_VIDEODRIVER"], "dummy")
    }

    func testISOModuleNamesAreUnique() {
        let builder = BochsISOBuilder(
            root: URL(fileURLWithPath: "/p"), kernel: URL(fileURLWithPath: "/p/build/hypervisor.elf"),
            cmdline: "console=com1",
            modules: [
                BootModule(file: URL(fileURLWithPath: "/a/x.elf")),
                BootModule(file: URL(fileURLWithPath: "/b/x.elf"), arguments: "two"),
                BootModule(file: URL(fileURLWithPath: "/c/hypervisor.elf")),
            ],
            reporter: .silent
        )
        XCTAssertEqual(builder.moduleFileNames, ["x.elf", "2-x.elf", "2-hypervisor.elf"])
        XCTAssertEqual(builder.grubConfig.modules[1], .init(fileName: "2-x.elf", arguments: "two"))
    }

    func testGrubMkrescueIsTrimmed() {
        let arguments = BochsISOBuilder.arguments(iso: "out.iso", isoRoot: "tree")
        XCTAssertEqual(arguments.first, "-o")
        XCTAssertTrue(arguments.contains("--locales="))
        XCTAssertTrue(arguments.contains("--fonts="))
        XCTAssertTrue(arguments.contains("--themes="))
        XCTAssertTrue(arguments.contains { $0.hasPrefix("--install-modules=") && $0.contains("multiboot") })
        XCTAssertEqual(arguments.suffix(2), ["tree", "-no-pad"])
    }
}
