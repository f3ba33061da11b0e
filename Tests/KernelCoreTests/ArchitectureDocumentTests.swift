import Foundation
import XCTest

/// Docs/ARCHITECTURE.md walks through an exit and a hypercall as numbered
/// lists of `file` — `function`. This keeps those lists true: every file
/// named exists, every `Type.function` is declared in a file that declares
/// the type (the step's own file first), and every C or assembly symbol is
/// defined in the assembly or C file its step names. A rename that forgets the document
/// fails here.
final class ArchitectureDocumentTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEveryStepNamesAFileAndFunctionsThatExist() throws {
        let steps = try lifecycleSteps()
        XCTAssertGreaterThanOrEqual(steps.count, 30, "the two lifecycles should have their steps")
        let sources = try swiftSources()
        var checkedFunctions = 0
        for step in steps {
            var file: String? = nil
            for span in backtickedSpans(step) {
                if isPath(span) {
                    XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(span).path),
                                  "step names a missing file \(span): \(step)")
                    file = span
                } else if let (type, function) = typeAndFunction(span) {
                    XCTAssertTrue(declares(type, function, preferring: file, in: sources),
                                  "no file declaring \(type) has func \(function) (step: \(step))")
                    checkedFunctions += 1
                } else if isCSymbol(span), let file, !file.hasSuffix(".swift") {
                    let text = (try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)) ?? ""
                    XCTAssertTrue(text.contains("\(span):") || text.contains(" \(span)("),
                                  "\(file) does not define \(span) (step: \(step))")
                    checkedFunctions += 1
                }
            }
            XCTAssertNotNil(file, "a step without a file: \(step)")
        }
        XCTAssertGreaterThanOrEqual(checkedFunctions, 40)
    }

    /// The numbered items under the two "The life of" headings, each as one line.
    private func lifecycleSteps() throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("Docs/ARCHITECTURE.md"), encoding: .utf8)
        var steps: [String] = []
        for section in text.components(separatedBy: "\n## ") where section.hasPrefix("The life of") {
            var current: String? = nil
            for line in section.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.range(of: #"^[0-9]+\. "#, options: .regularExpression) != nil {
                    if let current { steps.append(current) }
                    current = String(line)
                } else if line.hasPrefix("   "), current != nil {
                    current! += " " + line.trimmingCharacters(in: .whitespaces)
                } else {
                    if let done = current { steps.append(done) }
                    current = nil
                }
            }
            if let current { steps.append(current) }
        }
        return steps
    }

    private func backtickedSpans(_ text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    private func isPath(_ span: String) -> Bool {
        span.contains("/") && [".swift", ".S", ".h", ".c"].contains { span.hasSuffix($0) }
    }

    /// `Type.function`: an upper-case type and a lower-case member.
    private func typeAndFunction(_ span: String) -> (String, String)? {
        guard span.range(of: #"^[A-Z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$"#, options: .regularExpression) != nil else { return nil }
        let parts = span.split(separator: ".")
        return (String(parts[0]), String(parts[1]))
    }

    /// `svm_run`, `hypercall_through_page`: lower-case with underscores.
    private func isCSymbol(_ span: String) -> Bool {
        span.range(of: #"^[a-z][a-z0-9]*(_[a-z0-9]+)+$"#, options: .regularExpression) != nil
    }

    private func swiftSources() throws -> [String: String] {
        var sources: [String: String] = [:]
        for folder in ["Kernel", "Guests"] {
            let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                guard url.pathExtension == "swift" else { continue }
                let relative = String(url.path.dropFirst(root.path.count + 1))
                sources[relative] = try String(contentsOf: url, encoding: .utf8)
            }
        }
        return sources
    }

    private func declares(_ type: String, _ function: String, preferring file: String?,
                          in sources: [String: String]) -> Bool {
        let member = function == "init" ? "init(" : "func \(function)"
        let declaration = #"(enum|struct|class|protocol|extension) "# + type + #"\b"#
        let candidates = sources.filter { $0.value.range(of: declaration, options: .regularExpression) != nil }
        if let file, let text = candidates[file], text.contains(member) { return true }
        return candidates.values.contains { $0.contains(member) }
    }
}
