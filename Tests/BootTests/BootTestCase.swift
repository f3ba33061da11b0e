import Foundation
import XCTest
import XToolKit

/// Shared helpers: boot through XToolKit (not through `swift run`) and check
/// the transcript. A missing emulator that cannot be installed is a failure,
/// never a skip: CI must not go green without having booted anything.
class BootTestCase: XCTestCase {
    /// The project root, found from this file.
    static let root = try? ProjectRoot.find(startingAt: URL(fileURLWithPath: #filePath))

    /// Boots and returns the result, or records a failure and returns nil.
    func boot(_ machine: Machine, cmdline: String = BootRequest.defaultCmdline, file: StaticString = #filePath, line: UInt = #line) -> BootResult? {
        guard let root = Self.root else {
            XCTFail("cannot find the project root from \(#filePath)", file: file, line: line)
            return nil
        }
        let request = BootRequest(machine: machine, cmdline: cmdline, echo: false, projectRoot: root, reporter: .standardOutput)
        do {
            let result = try BootRunner.run(request)
            print(result.summaryLine)
            return result
        } catch {
            XCTFail("could not build or start \(machine.rawValue): \(error)", file: file, line: line)
            return nil
        }
    }

    func assertStatus(_ result: BootResult, _ expected: BootStatus, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, expected, "transcript:\n\(result.transcript)", file: file, line: line)
    }

    /// Some line starts with the hypervisor prefix and mentions `word`.
    func assertBanner(_ result: BootResult, mentions word: String, file: StaticString = #filePath, line: UInt = #line) {
        let found = result.transcript.split(separator: "\n").contains {
            $0.contains(BootExpectations.linePrefix) && $0.contains(word)
        }
        XCTAssertTrue(found, "no \(BootExpectations.linePrefix) line mentions \(word); transcript:\n\(result.transcript)", file: file, line: line)
    }

    func assertContains(_ result: BootResult, _ words: [String], file: StaticString = #filePath, line: UInt = #line) {
        for word in words {
            XCTAssertTrue(result.transcript.contains(word), "transcript lacks \"\(word)\":\n\(result.transcript)", file: file, line: line)
        }
    }
}
