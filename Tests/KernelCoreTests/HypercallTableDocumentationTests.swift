import Foundation
import XCTest
@testable import KernelCore

/// Docs/ABI.md lists the hypercalls a guest can make; the hypercall table
/// is what the hypervisor really dispatches. This keeps the two the same
/// list, with the same numbers, so neither can drift from the other.
final class HypercallTableDocumentationTests: XCTestCase {
    func testABIDocumentListsExactlyTheTablesHypercalls() throws {
        let documented = try documentedHypercalls()
        let table = HypercallTable.entries.map { DocumentedHypercall(name: "\($0.name)", number: Int($0.number)) }
        XCTAssertEqual(documented.sorted(), table.sorted())
    }

    private struct DocumentedHypercall: Comparable, CustomStringConvertible {
        var name: String
        var number: Int
        static func < (a: Self, b: Self) -> Bool { (a.number, a.name) < (b.number, b.name) }
        var description: String { "\(name) (\(number))" }
    }

    /// The rows "| `name` (number) | ..." of the table under "## Hypercalls".
    private func documentedHypercalls() throws -> [DocumentedHypercall] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Docs/ABI.md"), encoding: .utf8)
        let section = text.components(separatedBy: "\n## ").first { $0.hasPrefix("Hypercalls\n") } ?? ""
        let row = try NSRegularExpression(pattern: #"^\| `([a-z_]+)` \(([0-9]+)\) \|"#, options: .anchorsMatchLines)
        let matches = row.matches(in: section, range: NSRange(section.startIndex..., in: section))
        XCTAssertFalse(matches.isEmpty, "no hypercall rows found in Docs/ABI.md")
        return matches.map { match in
            let field = { (index: Int) in String(section[Range(match.range(at: index), in: section)!]) }
            return DocumentedHypercall(name: field(1), number: Int(field(2))!)
        }
    }
}
