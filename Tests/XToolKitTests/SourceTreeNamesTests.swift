import Foundation
import XCTest
@testable import XToolKit

/// A name means one thing across Kernel/ and Guests/ (a design rule):
/// no top-level type or function and no file name is declared on both sides,
/// so a student who greps for a name finds one thing. Code both sides need
/// is one file, shared (BuildFlags.guestSharedSwiftSources), not two copies.
final class SourceTreeNamesTests: XCTestCase {
    /// Names both sides must use: clang looks for `module.modulemap`, and
    /// Embedded Swift's `print` calls the C library's `putchar` in each image.
    private let required: Set<String> = ["module", "putchar"]

    func testNoNameIsDeclaredInBothKernelAndGuests() throws {
        let root = try ProjectRoot.find(startingAt: URL(fileURLWithPath: #filePath))
        let kernel = names(under: root.appendingPathComponent("Kernel"))
        let guests = names(under: root.appendingPathComponent("Guests"))
        let shared = Set(kernel.keys).intersection(guests.keys).subtracting(required)
        let report = shared.sorted().map { "\($0): \(kernel[$0]!.sorted()) and \(guests[$0]!.sorted())" }
        XCTAssertEqual(report, [], "give one side a name of its own")
    }

    /// Every file's name without its extension, and every top-level type and
    /// function a Swift file declares, with the files that declare them.
    private func names(under folder: URL) -> [String: Set<String>] {
        var found: [String: Set<String>] = [:]
        let files = SourceScanner.files(under: folder, extensions: ["swift", "S", "c", "h", "modulemap"])
        XCTAssertFalse(files.isEmpty, "no sources under \(folder.path)")
        for file in files {
            let path = file.path.replacingOccurrences(of: folder.deletingLastPathComponent().path + "/", with: "")
            found[file.deletingPathExtension().lastPathComponent, default: []].insert(path)
            guard file.pathExtension == "swift", let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            for name in topLevelDeclarations(in: text) { found[name, default: []].insert(path) }
        }
        return found
    }

    private func topLevelDeclarations(in text: String) -> [String] {
        let declaration = /^(?:public |internal |fileprivate |private )?(?:final )?(?:class|struct|enum|protocol|typealias|actor|func) ([A-Za-z_][A-Za-z0-9_]*)/
        return text.split(separator: "\n").compactMap { line in
            guard let match = try? declaration.prefixMatch(in: line) else { return nil }
            return String(match.1)
        }
    }
}
