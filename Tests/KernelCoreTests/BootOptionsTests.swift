import XCTest
@testable import KernelCore

final class BootOptionsTests: XCTestCase {
    private func parse(_ text: String) -> BootOptions {
        BootOptions(commandLine: Array(text.utf8))
    }

    private func assertDefaults(_ options: BootOptions, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(options.console, .com1, file: file, line: line)
        XCTAssertEqual(options.logLevel, .info, file: file, line: line)
        XCTAssertEqual(options.testFault, .none, file: file, line: line)
        XCTAssertNil(options.domain0Memory, file: file, line: line)
        XCTAssertFalse(options.noReboot, file: file, line: line)
    }

    func testEmptyAndBlankLinesGiveDefaults() {
        for text in ["", " ", " \t\r\n  "] {
            let options = parse(text)
            assertDefaults(options)
            XCTAssertNil(options.imagePath)
            XCTAssertEqual(options.problems, [])
            XCTAssertEqual(options.unknownOptions, [])
        }
        assertDefaults(BootOptions())
    }

    func testAllKnownOptionsTogether() {
        let options = parse("console=none loglvl=debug test_fault=page_fault dom0_mem=64M noreboot")
        XCTAssertEqual(options.console, .none)
        XCTAssertEqual(options.logLevel, .debug)
        XCTAssertEqual(options.testFault, .pageFault)
        XCTAssertEqual(options.domain0Memory, 64 << 20)
        XCTAssertTrue(options.noReboot)
        XCTAssertEqual(options.problems, [])
        XCTAssertEqual(options.unknownOptions, [])
        XCTAssertEqual(options.summary, "console=none loglvl=debug test_fault=page_fault dom0_mem=67108864 noreboot")
    }

    func testGrubStyleImagePathIsSkipped() {
        let options = parse("/boot/hypervisor.elf console=none")
        XCTAssertEqual(options.imagePath, "/boot/hypervisor.elf")
        XCTAssertEqual(options.console, .none)
        XCTAssertEqual(options.unknownOptions, [])
        XCTAssertEqual(parse("  /boot/hv loglvl=all").imagePath, "/boot/hv", "leading blanks are not a token")
    }

    func testQEMUStyleImageNameIsSkipped() {
        let options = parse("hypervisor.elf loglvl=debug")
        XCTAssertEqual(options.imagePath, "hypervisor.elf")
        XCTAssertEqual(options.logLevel, .debug)
        XCTAssertEqual(options.unknownOptions, [])
        let boolean = parse("noreboot loglvl=debug")
        XCTAssertNil(boolean.imagePath, "a bare option first is an option, not a path")
        XCTAssertTrue(boolean.noReboot)
    }

    func testOnlyTheFirstTokenCanBeThePath() {
        let options = parse("console=none /boot/other")
        XCTAssertNil(options.imagePath)
        XCTAssertEqual(options.unknownOptions, ["/boot/other"])
    }

    func testEveryLogLevelParsesAndTheyAreOrdered() {
        let levels: [LogLevel] = [.none, .error, .warning, .info, .debug, .all]
        for level in levels {
            XCTAssertEqual(parse("loglvl=\(level.keyword)").logLevel, level)
        }
        XCTAssertEqual(levels, levels.sorted())
        XCTAssertTrue(LogLevel.error < .warning && LogLevel.debug < .all && LogLevel.none < .error)
        XCTAssertFalse(LogLevel.info < .info)
    }

    func testEveryTestFaultParsesWithItsVector() {
        let expected: [(String, TestFault, UInt8?)] = [
            ("none", .none, nil), ("divide", .divide, 0), ("invalid_opcode", .invalidOpcode, 6),
            ("page_fault", .pageFault, 14), ("general_protection", .generalProtection, 13), ("breakpoint", .breakpoint, 3),
        ]
        for (word, fault, vector) in expected {
            let options = parse("test_fault=\(word)")
            XCTAssertEqual(options.testFault, fault, word)
            XCTAssertEqual(options.testFault.vector, vector, word)
            XCTAssertEqual(options.problems, [], word)
        }
    }

    func testBadKeywordValueIsReportedWithTheChoices() {
        let options = parse("loglvl=loud")
        XCTAssertEqual(options.logLevel, .info, "a bad value keeps the default")
        XCTAssertEqual(options.problems, ["loglvl: 'loud' is not one of none, error, warning, info, debug, all"])
        XCTAssertEqual(parse("console=com2").problems, ["console: 'com2' is not one of com1, none"])
        XCTAssertEqual(parse("console=COM1").problems.count, 1, "keywords are case-sensitive")
    }

    func testMissingValuesAreReported() {
        XCTAssertEqual(parse("console").problems, ["console: needs a value, one of com1, none"])
        XCTAssertEqual(parse("loglvl=").problems, ["loglvl: needs a value, one of none, error, warning, info, debug, all"])
        XCTAssertEqual(parse("dom0_mem").problems, ["dom0_mem: needs a size, such as 64M or 1G"])
        XCTAssertEqual(parse("dom0_mem=").problems.count, 1)
    }

    func testMemorySizes() {
        let cases: [(String, UInt64)] = [
            ("65536", 65536), ("4k", 4096), ("4K", 4096), ("64M", 64 << 20), ("64m", 64 << 20),
            ("1G", 1 << 30), ("3g", 3 << 30), ("16777216G", 1 << 54), ("18446744073709551615", UInt64.max),
        ]
        for (text, bytes) in cases {
            let options = parse("dom0_mem=\(text)")
            XCTAssertEqual(options.domain0Memory, bytes, text)
            XCTAssertEqual(options.problems, [], text)
        }
    }

    func testBadMemorySizes() {
        for text in ["0", "0M", "M", "12X", "-5M", "1.5G", "64MB", "1_G", "1GG", "18446744073709551616", "17179869184G", "0x100"] {
            let options = parse("dom0_mem=\(text)")
            XCTAssertNil(options.domain0Memory, text)
            XCTAssertEqual(options.problems.count, 1, text)
        }
        XCTAssertEqual(parse("dom0_mem=12X").problems,
                       ["dom0_mem: '12X' is not a size above zero (bytes, or a number with K, M or G)"])
    }

    func testBooleanSpellings() {
        XCTAssertTrue(parse("noreboot").noReboot)
        XCTAssertFalse(parse("noreboot no-noreboot").noReboot)
        XCTAssertTrue(parse("no-noreboot noreboot").noReboot)
        for word in ["1", "yes", "true", "on", "enable"] { XCTAssertTrue(parse("noreboot=\(word)").noReboot, word) }
        for word in ["0", "no", "false", "off", "disable"] {
            XCTAssertFalse(parse("noreboot noreboot=\(word)").noReboot, word)
        }
        let bad = parse("noreboot=maybe")
        XCTAssertFalse(bad.noReboot)
        XCTAssertEqual(bad.problems, ["noreboot: 'maybe' is not a boolean (1, 0, yes, no, on, off, enable, disable, true, false)"])
        XCTAssertEqual(parse("noreboot=").problems.count, 1)
    }

    func testNegatingAValueOptionIsAProblem() {
        let options = parse("no-console")
        XCTAssertEqual(options.console, .com1)
        XCTAssertEqual(options.problems, ["no-console: console takes a value and cannot be negated"])
        XCTAssertEqual(options.unknownOptions, [])
    }

    func testUnknownOptionsAreCollected() {
        let options = parse("console=none dom0_max_vcpus=2 sync_console no-foo no- no-noreboot=1 =oops")
        XCTAssertEqual(options.unknownOptions, ["dom0_max_vcpus", "sync_console", "no-foo", "no-", "no-noreboot"])
        XCTAssertEqual(options.problems, ["'=oops': an option needs a name before '='"])
        XCTAssertEqual(options.console, .none)
    }

    func testLaterOptionsOverrideEarlierOnes() {
        let options = parse("loglvl=error console=none loglvl=warning console=com1 dom0_mem=1G dom0_mem=2G")
        XCTAssertEqual(options.logLevel, .warning)
        XCTAssertEqual(options.console, .com1)
        XCTAssertEqual(options.domain0Memory, 2 << 30)
    }

    func testABadLaterValueKeepsTheEarlierGoodOne() {
        let options = parse("loglvl=debug loglvl=loud")
        XCTAssertEqual(options.logLevel, .debug)
        XCTAssertEqual(options.problems.count, 1)
    }

    func testAllWhitespaceSeparates() {
        let options = parse("console=none\tloglvl=all\nnoreboot\r\n")
        XCTAssertEqual(options.console, .none)
        XCTAssertEqual(options.logLevel, .all)
        XCTAssertTrue(options.noReboot)
    }

    func testNulEndsTheLine() {
        var bytes = Array("console=none".utf8)
        bytes.append(0)
        bytes += Array(" loglvl=all garbage".utf8)
        let options = BootOptions(commandLine: bytes)
        XCTAssertEqual(options.console, .none)
        XCTAssertEqual(options.logLevel, .info)
        XCTAssertEqual(options.unknownOptions, [])
    }

    func testBufferPointerInput() {
        let bytes = Array("loglvl=warning".utf8)
        let options = bytes.withUnsafeBufferPointer { BootOptions(commandLine: $0) }
        XCTAssertEqual(options.logLevel, .warning)
    }

    func testNameLengthLimit() {
        let atLimit = String(repeating: "a", count: BootOptionsParser.maximumNameLength)
        XCTAssertEqual(parse(atLimit).unknownOptions, [atLimit])
        let tooLong = String(repeating: "b", count: BootOptionsParser.maximumNameLength + 1)
        let options = parse("\(tooLong)=1 console=none")
        XCTAssertEqual(options.unknownOptions, [])
        XCTAssertEqual(options.problems, ["option name '\(String(repeating: "b", count: 32))...' is longer than 32 bytes"])
        XCTAssertEqual(options.console, .none, "parsing goes on after an over-long option")
    }

    func testValueLengthLimit() {
        let atLimit = String(repeating: "x", count: BootOptionsParser.maximumValueLength)
        XCTAssertEqual(parse("loglvl=\(atLimit)").problems.count, 1, "judged as a value")
        XCTAssertTrue(parse("loglvl=\(atLimit)").problems[0].hasSuffix("...' is not one of none, error, warning, info, debug, all"),
                      "echoed values are cut short")
        let tooLong = String(repeating: "y", count: BootOptionsParser.maximumValueLength + 1)
        XCTAssertEqual(parse("loglvl=\(tooLong)").problems, ["loglvl: value is longer than 128 bytes"])
        XCTAssertEqual(parse("whatever=\(tooLong)").unknownOptions, [], "a too-long value is reported before the name is looked up")
    }

    func testUnprintableBytesAreEscapedInReports() {
        let bytes: [UInt8] = Array("a\u{1B}[2Jb".utf8) + [0xFF, 0x20] + Array("loglvl=\u{7}".utf8)
        let options = BootOptions(commandLine: bytes)
        XCTAssertEqual(options.unknownOptions, ["a?[2Jb?"])
        XCTAssertEqual(options.problems, ["loglvl: '?' is not one of none, error, warning, info, debug, all"])
    }

    func testReportsAreBounded() {
        let manyUnknown = (0..<40).map { "unknown\($0)" }.joined(separator: " ")
        let manyBad = (0..<30).map { _ in "loglvl=bad" }.joined(separator: " ")
        let options = parse(manyUnknown + " " + manyBad)
        let limit = BootOptionsParser.maximumReports
        XCTAssertEqual(options.unknownOptions.count, limit)
        XCTAssertEqual(options.unknownOptions.first, "unknown0")
        XCTAssertEqual(options.problems.count, limit + 1)
        XCTAssertEqual(options.problems.last, "\(40 - limit + 30 - limit) more problems or unknown options not listed")
    }

    /// Random bytes, and random mixes of option fragments, must never trap
    /// and must always give printable, bounded reports.
    func testFuzzNeverTrapsAndReportsStayBounded() {
        var generator = SeededGenerator(seed: 0xF022)
        let fragments = ["console", "loglvl", "test_fault", "dom0_mem", "noreboot", "no-", "=", "=", " ", " ", "\t",
                         "com1", "none", "all", "64M", "1G", "99999999999999999999999", "/boot/x", "page_fault", "\0", "yes"]
        for round in 0..<3000 {
            var bytes: [UInt8] = []
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                for _ in 0..<Int.random(in: 0...30, using: &generator) {
                    bytes += Array(fragments.randomElement(using: &generator)!.utf8)
                }
            }
            let options = BootOptions(commandLine: bytes)
            XCTAssertLessThanOrEqual(options.problems.count, BootOptionsParser.maximumReports + 1)
            XCTAssertLessThanOrEqual(options.unknownOptions.count, BootOptionsParser.maximumReports)
            for text in options.problems + options.unknownOptions + [options.imagePath ?? ""] {
                XCTAssertTrue(text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }, "round \(round): unprintable report")
            }
            for name in options.unknownOptions {
                XCTAssertLessThanOrEqual(name.utf8.count, BootOptionsParser.maximumNameLength)
            }
        }
    }

    func testMemorySizeTextDirectly() {
        XCTAssertEqual(MemorySizeText.parse(Array("123".utf8)[...]), 123)
        XCTAssertNil(MemorySizeText.parse([][...]))
        XCTAssertNil(MemorySizeText.parse(Array("K".utf8)[...]))
        XCTAssertEqual(MemorySizeText.parse(Array("0".utf8)[...]), 0, "zero is a size; the option rejects it")
    }
}
