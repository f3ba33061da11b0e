import XCTest
@testable import XToolKit

/// The catalog against the real tree: every lab has its text, marks code,
/// and checks tests that exist; the tree's markers are well formed.
final class LabCatalogTests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testLabsAreNumberedOneToEightInOrder() {
        XCTAssertEqual(LabCatalog.labs.map(\.number), Array(1...8))
    }

    func testEveryLabHasItsTextAndItsChecks() {
        for lab in LabCatalog.labs {
            XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(lab.textFile).path), lab.textFile)
            XCTAssertFalse(lab.checks.isEmpty, "lab \(lab.number)")
            XCTAssertEqual(Set(lab.checks.map(\.filter)).count, lab.checks.count, "lab \(lab.number) checks a test twice")
        }
    }

    func testEveryLabMarksCodeAndEveryStubSaysItsLab() throws {
        let regions = try StudentCopy(root: root).regions().values.joined()
        for lab in LabCatalog.labs {
            let mine = regions.filter { $0.lab == lab.number }
            XCTAssertFalse(mine.isEmpty, "lab \(lab.number) marks no code")
            for region in mine {
                XCTAssertTrue(region.stubLines.joined().contains("lab \(lab.number):"),
                              "lab \(lab.number)'s stub should name its lab: \(region.stubLines)")
            }
        }
    }

    /// A check whose test was renamed would fail forever; catch it here, where
    /// the message says which.
    func testEveryCheckNamesATestThatExists() throws {
        for lab in LabCatalog.labs {
            for check in lab.checks {
                let parts = check.filter.split(whereSeparator: { $0 == "." || $0 == "/" }).map(String.init)
                XCTAssertEqual(parts.count, 3, check.filter)
                guard parts.count == 3 else { continue }
                let file = root.appendingPathComponent("Tests/\(parts[0])/\(parts[1]).swift")
                let text = try String(contentsOf: file, encoding: .utf8)
                XCTAssertTrue(text.contains("class \(parts[1]): XCTestCase"), check.filter)
                XCTAssertTrue(text.contains("func \(parts[2])()"), check.filter)
            }
        }
    }
}
