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
                domains: try DomainConfigLoader.load(boot.domains, relativeTo: Self.configFolder),
                icount: boot.icount,
                timeout: boot.timeout ?? setup.timeout,
                cpuModel: setup.cpuModel,
                echo: false,
                projectRoot: root,
                reporter: .standardOutput
            )
            let result = try BootRunner.run(request)
            print(result.summaryLine)
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

    /// Words anywhere in the transcript, for what has no line prefix of its own.
    func assertContains(_ result: BootResult, _ words: [String], file: StaticString = #filePath, line: UInt = #line) {
        for word in words {
            XCTAssertTrue(result.transcript.contains(word), "transcript lacks \"\(word)\":\n\(result.transcript)", file: file, line: line)
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
