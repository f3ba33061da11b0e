import Foundation
import XCTest
import XToolKit

/// Shared helpers: boot through XToolKit (not through `swift run`) and check
/// the transcript. A missing emulator that cannot be installed is a failure,
/// never a skip: CI must not go green without having booted anything.
class BootTestCase: XCTestCase {
    /// The project root, found from this file.
    static let root = try? ProjectRoot.find(startingAt: URL(fileURLWithPath: #filePath))
    /// The domain configs of the scenarios.
    static let configFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Configs")

    /// What to boot, besides the machine.
    struct Boot {
        var cmdline = BootRequest.defaultCmdline
        /// "FILE ARGS", FILE relative to the project root or absolute; nil: dom0.elf.
        var dom0: String?
        /// File names in Configs/.
        var domains: [String] = []
        var icount = false
        /// nil: the machine's timeout.
        var timeout: Double? = nil
        /// Only the deliberate-fault scenario may end in a hypervisor panic;
        /// every other boot fails on a "(HV) panic" line, whatever else it checks.
        var panicExpected = false
        /// Modules after dom0 ("FILE ARGS"), and the machine's RAM.
        var modules: [String] = []
        var memoryMB = BootRequest.defaultMemoryMB
    }

    /// Boots and returns the result, or records a failure and returns nil.
    func boot(_ setup: MachineSetup, _ boot: Boot = Boot(), file: StaticString = #filePath, line: UInt = #line) -> BootResult? {
        guard let root = Self.root else {
            XCTFail("cannot find the project root from \(#filePath)", file: file, line: line)
            return nil
        }
        do {
            let request = BootRequest(
                machine: setup.machine,
                cmdline: boot.cmdline,
                dom0: boot.dom0.map { BootModule(parsing: $0, relativeTo: root) },
                extraModules: boot.modules.map { BootModule(parsing: $0, relativeTo: root) },
                domains: try DomainConfigLoader.load(boot.domains, relativeTo: Self.configFolder),
                icount: boot.icount,
                timeout: boot.timeout ?? setup.timeout,
                cpuModel: setup.cpuModel,
                memoryMB: boot.memoryMB,
                echo: false,
                projectRoot: root,
                reporter: .standardOutput
            )
            let result = try BootRunner.run(request)
            print(result.summaryLine)
            if !boot.panicExpected {
                assertNoLine(result, startingWith: BootExpectations.hypervisorPanic, file: file, line: line)
            }
            return result
        } catch {
            XCTFail("could not build or start \(setup.name): \(error)", file: file, line: line)
            return nil
        }
    }

    func assertStatus(_ result: BootResult, _ expected: BootStatus, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, expected, "transcript:\n\(result.transcript)", file: file, line: line)
    }

    /// Some line starts with the hypervisor prefix and mentions `word`.
    func assertBanner(_ result: BootResult, mentions word: String, file: StaticString = #filePath, line: UInt = #line) {
        let found = lines(of: result).contains {
            $0.hasPrefix(BootExpectations.hypervisorPrefix) && $0.contains(word)
        }
        XCTAssertTrue(found, "no \(BootExpectations.hypervisorPrefix) line mentions \(word); transcript:\n\(result.transcript)", file: file, line: line)
    }

    /// Some line starts with each prefix. Lines of the hypervisor ("(HV) ")
    /// and of dom0 ("(d0) ") are checked this way: no other domain can write
    /// a line that starts so, while any domain can print the words.
    func assertLinesStart(_ result: BootResult, with prefixes: [String], file: StaticString = #filePath, line: UInt = #line) {
        let lines = lines(of: result)
        for prefix in prefixes {
            XCTAssertTrue(lines.contains { $0.hasPrefix(prefix) }, "no line starts with \"\(prefix)\"; transcript:\n\(result.transcript)", file: file, line: line)
        }
    }

    /// Some line is exactly `expected`: for tallies, where "41 passed"
    /// must not also accept "410 passed" or "41 passed, 0 failed, 3 skipped".
    func assertExactLine(_ result: BootResult, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(lines(of: result).contains(expected), "no line is exactly \"\(expected)\"; transcript:\n\(result.transcript)", file: file, line: line)
    }

    /// Lines starting with each prefix, in this order: the first line
    /// starting with `prefixes[i + 1]` comes after the one matched for
    /// `prefixes[i]`.
    func assertLinesInOrder(_ result: BootResult, _ prefixes: [String], file: StaticString = #filePath, line: UInt = #line) {
        assertLinesInOrder(result, prefixes.map { LinePattern(prefix: $0) }, file: file, line: line)
    }

    /// A line that starts with `prefix` and contains `words` (for lines
    /// whose start varies, like Linux's timestamps).
    struct LinePattern: CustomStringConvertible {
        var prefix: String
        var words = ""
        func matches(_ line: String) -> Bool { line.hasPrefix(prefix) && (words.isEmpty || line.contains(words)) }
        var description: String { words.isEmpty ? "\"\(prefix)...\"" : "\"\(prefix)...\(words)...\"" }
    }

    func assertLinesInOrder(_ result: BootResult, _ patterns: [LinePattern], file: StaticString = #filePath, line: UInt = #line) {
        let lines = lines(of: result)
        var next = lines.startIndex
        for pattern in patterns {
            guard let found = lines[next...].firstIndex(where: pattern.matches) else {
                let anywhere = lines.contains(where: pattern.matches)
                XCTFail(anywhere ? "the line \(pattern) comes too early, out of the order \(patterns); transcript:\n\(result.transcript)"
                                 : "no line \(pattern); transcript:\n\(result.transcript)", file: file, line: line)
                return
            }
            next = lines.index(after: found)
        }
    }

    /// The first line that starts with `prefix` and contains every word.
    @discardableResult
    func assertLine(_ result: BootResult, startingWith prefix: String, containing words: [String],
                    file: StaticString = #filePath, line: UInt = #line) -> String? {
        let found = lines(of: result).first { text in
            text.hasPrefix(prefix) && words.allSatisfy { text.contains($0) }
        }
        XCTAssertNotNil(found, "no line starts with \"\(prefix)\" and contains \(words); transcript:\n\(result.transcript)", file: file, line: line)
        return found
    }

    /// No line starts with `prefix`.
    func assertNoLine(_ result: BootResult, startingWith prefix: String, file: StaticString = #filePath, line: UInt = #line) {
        let found = lines(of: result).first { $0.hasPrefix(prefix) }
        XCTAssertNil(found, "a line starts with \"\(prefix)\"; transcript:\n\(result.transcript)", file: file, line: line)
    }

    func lines(of result: BootResult) -> [String] {
        ConsoleLines.all(in: result.transcript).map(String.init)
    }
}
