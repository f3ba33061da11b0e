import XCTest
@testable import XToolKit

final class BenchTranscriptTests: XCTestCase {
    let transcript = """
        (HV) hypervisor: up
        (HV) bench: row boot-to-dom0 123456 | boot to dom0's first instruction
        (d0) bench: config iterations=1000 batches=3 unit=tsc\r
        (d0) bench: row cpuid 434 436 435 | CPUID leaf 0x40000000 (exit)
        (d0) bench: row null-hypercall 300 301 299 | unknown hypercall 99 (-ENOSYS)
        (d0) disk-bench: read 32768 KiB in 0.36 s
        (d0) bench: event channels: no rows for them
        (d0) bench: end
        (HV) exit: success
        """

    func testRowsFromEveryPrefixInOrder() {
        let parsed = BenchTranscript.parse(transcript)
        XCTAssertEqual(parsed.rows, [
            BenchRow(key: "boot-to-dom0", values: [123456], label: "boot to dom0's first instruction"),
            BenchRow(key: "cpuid", values: [434, 436, 435], label: "CPUID leaf 0x40000000 (exit)"),
            BenchRow(key: "null-hypercall", values: [300, 301, 299], label: "unknown hypercall 99 (-ENOSYS)"),
        ])
        XCTAssertEqual(parsed.problems, [])
        XCTAssertEqual(parsed.headers["(d0) "], BenchHeader(iterations: 1000, batches: 3, unit: "tsc"))
        XCTAssertEqual(parsed.endedSources, ["(d0) "])
        XCTAssertEqual(parsed.notes, ["event channels: no rows for them"], "another program's \"disk-bench: \" is no bench line")
    }

    func testXenDom0LinesHaveNoPrefixAndLinuxLinesALongOne() {
        let parsed = BenchTranscript.parse("""
            (XEN) Freed 656kB init memory
            bench: config iterations=10 batches=2 unit=tsc
            bench: row cpuid 5832 5840 | CPUID
            (d0) [d1 linux] bench: row linux-getpid 90 91 | getpid()
            bench: end
            """)
        XCTAssertEqual(parsed.rows.map(\.key), ["cpuid", "linux-getpid"])
        XCTAssertEqual(parsed.problems, [])
        XCTAssertTrue(parsed.ended)
    }

    func testMalformedRowsAreReportedWithTheirLineNumbers() {
        let parsed = BenchTranscript.parse("""
            (d0) bench: config iterations=1000 batches=2 unit=tsc
            (d0) bench: row cpuid 1 2
            (d0) bench: row CPUID 1 2 | upper case
            (d0) bench: row cpuid 1 -2 | negative
            (d0) bench: row cpuid 1 x | not a number
            (d0) bench: row cpuid 1 2 3 | three values
            (d0) bench: row cpuid | no values
            (d0) bench: row cpuid 1 2 |
            (d0) bench: row cpuid 7 8 | the good one
            (d0) bench: row cpuid 9 9 | again
            (d0) bench: row
            (d0) bench: end
            """)
        XCTAssertEqual(parsed.rows, [BenchRow(key: "cpuid", values: [7, 8], label: "the good one")])
        XCTAssertEqual(parsed.problems.map(\.lineNumber), [2, 3, 4, 5, 6, 7, 8, 10, 11])
        XCTAssertEqual(parsed.problems.map(\.reason), [
            "a row needs ` | label` after its values",
            "row key \"CPUID\" is not lowercase words joined by dashes",
            "row cpuid: \"-2\" is not a non-negative integer",
            "row cpuid: \"x\" is not a non-negative integer",
            "cpuid has 3 values, the config says batches=2",
            "row cpuid has no values",
            "row cpuid has an empty label",
            "a second row cpuid (the first is kept)",
            "a row needs ` | label` after its values",
        ])
        XCTAssertEqual(parsed.problems[0].line, "(d0) bench: row cpuid 1 2")
    }

    func testHugeNumbersAndTooManyValuesAreProblemsNotCrashes() {
        let many = Array(repeating: "1", count: BenchTranscript.maximumBatches + 1).joined(separator: " ")
        let parsed = BenchTranscript.parse("""
            bench: row big 99999999999999999999999 | more than 64 bits
            bench: row many \(many) | too many
            bench: row +5 5 | sign
            """)
        XCTAssertEqual(parsed.rows, [])
        XCTAssertEqual(parsed.problems.count, 3)
        XCTAssertEqual(parsed.problems[1].reason, "row many has 1001 values, more than 1000")
    }

    func testConfigLinesAreChecked() {
        let parsed = BenchTranscript.parse("""
            (d0) bench: config iterations=1000 unit=tsc
            (d1) bench: config iterations=0 batches=7 unit=tsc
            (d2) bench: config iterations=1000 batches=7
            (d3) bench: config iterations=1000 batches=seven unit=tsc
            (d4) bench: config iterations
            """)
        XCTAssertEqual(parsed.problems.map(\.reason), [
            "config: no batches=",
            "config: iterations=0 is not a whole number from 1 to 2147483647",
            "config: no unit=",
            "config: batches=seven is not a whole number from 1 to 1000",
            "config: \"iterations\" is not NAME=VALUE",
        ])
        XCTAssertEqual(parsed.headers, [:])
    }

    func testAConfigWithoutEndIsReported() {
        let parsed = BenchTranscript.parse("(d0) bench: config iterations=1 batches=1 unit=tsc\n(d0) bench: row cpuid 4 | c\n(HV) panic")
        XCTAssertEqual(parsed.rows.count, 1)
        XCTAssertEqual(parsed.problems.map(\.reason), ["the bench behind \"(d0)\" printed its config but no `bench: end` (did it stop early?)"])
        XCTAssertFalse(parsed.ended)
    }

    func testOnlyARealEndLineEndsTheMachine() {
        XCTAssertTrue(BenchTranscript.isEndLine("bench: end"))
        XCTAssertTrue(BenchTranscript.isEndLine("(d0) bench: end\r"))
        XCTAssertFalse(BenchTranscript.isEndLine("(d0) bench: endless"))
        XCTAssertFalse(BenchTranscript.isEndLine("(d0) disk-bench: end"))
        XCTAssertFalse(BenchTranscript.isEndLine("(d0) bench: row end 1 | x"))
    }

    func testSkippedRowsAreKeptWithTheirReason() {
        let parsed = BenchTranscript.parse("""
            bench: skip grant-copy-4k GNTTABOP_copy: -38
            bench: skip yield
            bench: skip Bad reason
            """)
        XCTAssertEqual(parsed.skips, [BenchSkip(key: "grant-copy-4k", reason: "GNTTABOP_copy: -38"),
                                      BenchSkip(key: "yield", reason: "no reason given")])
        XCTAssertEqual(parsed.problems.map(\.lineNumber), [3])
        XCTAssertEqual(parsed.rows, [])
    }

    func testKeys() {
        XCTAssertTrue(BenchRow.isValidKey("evtchn-ping-pong"))
        XCTAssertTrue(BenchRow.isValidKey("grant-copy-4k"))
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "a b", "é"] {
            XCTAssertFalse(BenchRow.isValidKey(bad), bad)
        }
    }
}
