import XCTest
@testable import XToolKit

final class DomainConfigParserTests: XCTestCase {
    private let folder = URL(fileURLWithPath: "/configs", isDirectory: true)

    private func parse(_ text: String) throws(DomainConfigErrors) -> DomainConfig {
        try DomainConfigParser(path: "d.cfg", folder: folder).parse(text)
    }

    /// The `LINE: message` texts of the errors the text produces ([] if it parses).
    private func errors(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        do throws(DomainConfigErrors) {
            _ = try parse(text)
            return []
        } catch {
            return error.errors.map { error in
                XCTAssertEqual(error.path, "d.cfg", file: file, line: line)
                return "\(error.line): \(error.message)"
            }
        }
    }

    private let minimal = "name = \"alpha\"\nkernel = \"worker.elf\"\n"

    // MARK: what parses

    func testMinimalConfigGetsTheDefaults() throws {
        let config = try parse(minimal)
        XCTAssertEqual(config.name, "alpha")
        XCTAssertEqual(config.kernel.path, "/configs/worker.elf")
        XCTAssertEqual(config.memoryMiB, 16)
        XCTAssertEqual(config.vcpus, 1)
        XCTAssertEqual(config.cmdline, "")
        XCTAssertEqual(config.onCrash, .destroy)
        XCTAssertEqual(config.stopAfter, .none)
        XCTAssertEqual(config.source, DomainConfig.Source(path: "d.cfg", nameLine: 1, kernelLine: 2))
    }

    func testEveryKeyWithCommentsAndBlankLines() throws {
        let config = try parse("""
            # a worker that counts

            name = "spin-1_x"   # trailing comment
              kernel="/abs/worker.elf"
            memory = 1024
            vcpus = 1
            cmdline = "mode=count lines=5"
            on_poweroff = "preserve"
            on_reboot = "destroy"
            on_crash = "preserve"
            stop_after = "others"
            """)
        XCTAssertEqual(config.name, "spin-1_x")
        XCTAssertEqual(config.kernel.path, "/abs/worker.elf")
        XCTAssertEqual(config.memoryMiB, 1024)
        XCTAssertEqual(config.cmdline, "mode=count lines=5")
        XCTAssertEqual(config.onPoweroff, .preserve)
        XCTAssertEqual(config.onReboot, .destroy)
        XCTAssertEqual(config.onCrash, .preserve)
        XCTAssertEqual(config.stopAfter, .others)
        XCTAssertEqual(config.source, DomainConfig.Source(path: "d.cfg", nameLine: 3, kernelLine: 4))
    }

    func testRelativeKernelIsResolvedAgainstTheConfigFolder() throws {
        let config = try parse("name = \"a\"\nkernel = \"../../build/guests/worker.elf\"\n")
        XCTAssertEqual(config.kernel.path, "/build/guests/worker.elf")
    }

    func testStringEscapesAndHashInsideAString() throws {
        let config = try parse(minimal + #"cmdline = "say \"hi\" \\ # not a comment""#)
        XCTAssertEqual(config.cmdline, #"say "hi" \ # not a comment"#)
    }

    func testEmptyCmdlineAndStopAfterNone() throws {
        let config = try parse(minimal + "cmdline = \"\"\nstop_after = \"none\"\n")
        XCTAssertEqual(config.cmdline, "")
        XCTAssertEqual(config.stopAfter, .none)
    }

    func testWindowsLineEndsAndTabs() throws {
        let config = try parse("name\t=\t\"alpha\"\r\nkernel = \"w.elf\"\r\nmemory = 32\r\n")
        XCTAssertEqual(config.name, "alpha")
        XCTAssertEqual(config.memoryMiB, 32)
    }

    func testMemoryBounds() throws {
        XCTAssertEqual(try parse(minimal + "memory = 4").memoryMiB, 4)
        XCTAssertEqual(try parse(minimal + "memory = 1024").memoryMiB, 1024)
        XCTAssertEqual(errors(minimal + "memory = 3"), ["3: memory = 3: must be 4 to 1024 (MiB)"])
        XCTAssertEqual(errors(minimal + "memory = 1025"), ["3: memory = 1025: must be 4 to 1024 (MiB)"])
        XCTAssertEqual(errors(minimal + "memory = -16"), ["3: memory = -16: must be 4 to 1024 (MiB)"])
    }

    func testNameLengthAndCharacters() throws {
        XCTAssertEqual(try parse("name = \"abcdefghijklmno\"\nkernel = \"k\"").name, "abcdefghijklmno")
        XCTAssertEqual(errors("name = \"abcdefghijklmnop\"\nkernel = \"k\""),
                       ["1: name \"abcdefghijklmnop\" is longer than 15 characters"])
        XCTAssertEqual(errors("name = \"\"\nkernel = \"k\""), ["1: name is empty"])
        XCTAssertEqual(errors("kernel = \"k\"\nname = \"a.b\""), ["2: name \"a.b\" may hold only letters, digits, _ and -"])
        XCTAssertEqual(errors("kernel = \"k\"\nname = \"ä\""), ["2: name \"ä\" may hold only letters, digits, _ and -"])
    }

    // MARK: every error, with its line

    func testUnknownKey() {
        XCTAssertEqual(errors(minimal + "\ncolour = \"red\""),
                       ["4: unknown key colour (known: name, kernel, memory, vcpus, cmdline, extra, ramdisk, on_poweroff, on_reboot, on_crash, stop_after, disk)"])
    }

    func testKeysAreCaseSensitive() {
        XCTAssertEqual(errors(minimal + "Memory = 32").first, "3: unknown key Memory (known: name, kernel, memory, vcpus, cmdline, extra, ramdisk, on_poweroff, on_reboot, on_crash, stop_after, disk)")
    }

    func testDuplicateKey() {
        XCTAssertEqual(errors(minimal + "memory = 32\n# again\nmemory = 64"), ["5: memory is set twice (first on line 3)"])
        XCTAssertEqual(errors(minimal + "name = \"beta\""), ["3: name is set twice (first on line 1)"])
    }

    func testMissingRequiredKeysAreReportedAtTheLastLine() {
        XCTAssertEqual(errors("# only a comment\n\nmemory = 32\n"), [
            "3: missing required key name",
            "3: missing required key kernel",
        ])
        XCTAssertEqual(errors("name = \"a\""), ["1: missing required key kernel"])
        XCTAssertEqual(errors(""), ["1: missing required key name", "1: missing required key kernel"])
    }

    func testVcpusOtherThanOne() {
        XCTAssertEqual(errors(minimal + "vcpus = 2"), ["3: vcpus = 2: only 1 vCPU per domain is supported"])
        XCTAssertEqual(errors(minimal + "vcpus = 0"), ["3: vcpus = 0: only 1 vCPU per domain is supported"])
    }

    func testBadEnumerations() {
        XCTAssertEqual(errors(minimal + "on_crash = \"restart\""), ["3: on_crash = \"restart\": must be \"destroy\" or \"preserve\" (dom0 restarts no domain)"])
        XCTAssertEqual(errors(minimal + "on_reboot = \"restart\""), ["3: on_reboot = \"restart\": must be \"destroy\" or \"preserve\" (dom0 restarts no domain)"])
        XCTAssertEqual(errors(minimal + "stop_after = \"all\""), ["3: stop_after = \"all\": must be \"others\" (or \"none\", the default)"])
    }

    func testWrongValueTypes() {
        XCTAssertEqual(errors(minimal + "memory = \"32\""), ["3: memory must be an integer, not the string \"32\""])
        XCTAssertEqual(errors(minimal + "vcpus = \"1\""), ["3: vcpus must be an integer, not the string \"1\""])
        XCTAssertEqual(errors("name = 7\nkernel = \"k\""), ["1: name must be a \"string\", not the integer 7"])
        XCTAssertEqual(errors("name = \"a\"\nkernel = 1"), ["2: kernel must be a \"string\", not the integer 1"])
        XCTAssertEqual(errors(minimal + "cmdline = 5"), ["3: cmdline must be a \"string\", not the integer 5"])
        XCTAssertEqual(errors(minimal + "on_crash = 0"), ["3: on_crash must be a \"string\", not the integer 0"])
        XCTAssertEqual(errors(minimal + "stop_after = 1"), ["3: stop_after must be a \"string\", not the integer 1"])
    }

    func testEmptyKernel() {
        XCTAssertEqual(errors("name = \"a\"\nkernel = \"\""), ["2: kernel is empty: name a kernel image"])
    }

    func testSyntaxErrors() {
        XCTAssertEqual(errors(minimal + "memory 32"), ["3: expected `=` after memory"])
        XCTAssertEqual(errors(minimal + "= 32"), ["3: expected `key = value`, found \"= 32\""])
        XCTAssertEqual(errors(minimal + "\"name\" = \"a\""), ["3: expected `key = value`, found \"\"name\" = \"a\"\""])
        XCTAssertEqual(errors(minimal + "memory ="), ["3: memory has no value after `=`"])
        XCTAssertEqual(errors(minimal + "memory = # none"), ["3: memory has no value after `=`"])
        XCTAssertEqual(errors(minimal + "cmdline = \"open"), ["3: a string is not closed: add a `\"` at its end"])
        XCTAssertEqual(errors(minimal + "cmdline = \"ends in a backslash\\"), ["3: a string is not closed: add a `\"` at its end"])
        XCTAssertEqual(errors(minimal + #"cmdline = "a\nb""#), [#"3: unknown escape \n in a string (only \" and \\ are allowed)"#])
        XCTAssertEqual(errors(minimal + "on_crash = destroy"), ["3: destroy is neither an integer nor a \"string\" (strings need double quotes)"])
        XCTAssertEqual(errors(minimal + "memory = 16M"), ["3: 16M is neither an integer nor a \"string\" (strings need double quotes)"])
        XCTAssertEqual(errors(minimal + "memory = 0x10"), ["3: 0x10 is neither an integer nor a \"string\" (strings need double quotes)"])
        XCTAssertEqual(errors(minimal + "memory = -"), ["3: - is neither an integer nor a \"string\" (strings need double quotes)"])
        XCTAssertEqual(errors(minimal + "memory = 99999999999999999999"), ["3: 99999999999999999999 is too large for an integer"])
        XCTAssertEqual(errors(minimal + "cmdline = \"a\" \"b\""), ["3: unexpected text after the value of cmdline: \"\"b\"\""])
        XCTAssertEqual(errors(minimal + "memory = 16 32"), ["3: unexpected text after the value of memory: \"32\""])
    }

    func testEveryProblemIsReportedInLineOrder() {
        let text = """
            name = "bad name"
            memory = 2
            memory = 8
            vcpus = 4
            bogus = 1
            cmdline = "unclosed
            """
        XCTAssertEqual(errors(text), [
            "1: name \"bad name\" may hold only letters, digits, _ and -",
            "2: memory = 2: must be 4 to 1024 (MiB)",
            "3: memory is set twice (first on line 2)",
            "4: vcpus = 4: only 1 vCPU per domain is supported",
            "5: unknown key bogus (known: name, kernel, memory, vcpus, cmdline, extra, ramdisk, on_poweroff, on_reboot, on_crash, stop_after, disk)",
            "6: a string is not closed: add a `\"` at its end",
            "6: missing required key kernel",
        ])
    }

    func testErrorDescriptionIsFileColonLineColonMessage() {
        XCTAssertThrowsError(try parse("name = 1")) { error in
            let description = (error as? DomainConfigErrors)?.description ?? ""
            XCTAssertEqual(description, """
                d.cfg:1: name must be a "string", not the integer 1
                d.cfg:1: missing required key kernel
                """)
        }
    }

    // MARK: Linux's keys (xl.cfg's ramdisk and extra)

    func testRamdiskIsResolvedLikeTheKernelAndRemembersItsLine() throws {
        let config = try parse(minimal + "ramdisk = \"../initrd/busybox.cpio\"\n")
        XCTAssertEqual(config.ramdisk?.path, "/initrd/busybox.cpio")
        XCTAssertEqual(config.source.ramdiskLine, 3)
        XCTAssertNil(try parse(minimal).ramdisk)
        XCTAssertEqual(try parse(minimal + "ramdisk = \"/abs/r.img\"").ramdisk?.path, "/abs/r.img")
    }

    func testExtraIsTheCommandLine() throws {
        XCTAssertEqual(try parse(minimal + "extra = \"earlyprintk=xen console=hvc0\"").cmdline, "earlyprintk=xen console=hvc0")
    }

    func testCmdlineAndExtraTogetherAreAnError() {
        XCTAssertEqual(errors(minimal + "extra = \"a\"\ncmdline = \"b\""),
                       ["4: cmdline (line 4) and extra (line 3) are both the kernel's command line: set only one"])
    }

    func testBadRamdiskAndExtraValues() {
        XCTAssertEqual(errors(minimal + "ramdisk = \"\""), ["3: ramdisk is empty: name a file, or leave the key out"])
        XCTAssertEqual(errors(minimal + "ramdisk = 3"), ["3: ramdisk must be a \"string\", not the integer 3"])
        XCTAssertEqual(errors(minimal + "extra = 3"), ["3: extra must be a \"string\", not the integer 3"])
        XCTAssertEqual(errors(minimal + "ramdisk = \"a\"\nramdisk = \"b\""), ["4: ramdisk is set twice (first on line 3)"])
    }
}
