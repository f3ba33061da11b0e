import Foundation
import XCTest
import XToolKit

/// CI's check of every course lab, in the README's test command: each lab's
/// checks pass on the full tree; on the lab's student copy its copy builds
/// and every check fails, with the stub's own message; and a lab's checks
/// need no later lab's code (they pass in the next lab's copy, where only
/// the later labs are stubs).
///
/// Cost: every copy goes to the same folder, build/lab-check/tree, with its
/// own .build kept there, and StudentCopy rewrites only the files whose
/// bytes change. So the first run pays one full host build of the copy and
/// each lab after that only recompiles the few files its stubs touch.
/// The copies run from the full tree down to lab 1, each adding one lab's
/// stubs to the last, so each step changes only one lab's files.
final class LabHandoutTests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEveryLabFailsOnItsStubsAndPassesOnTheFullTree() throws {
        let tree = root.appendingPathComponent("build/lab-check/tree")
        let writer = StudentCopy(root: root)
        let runner = LabCheckRunner(root: tree)
        let reporter = Reporter.standardOutput

        try writer.write(to: tree, lab: nil)
        XCTAssertTrue(try runner.build(reporter: reporter), "the full tree's copy does not build")
        for lab in LabCatalog.labs {
            let score = try runner.run(lab, reporter: reporter)
            XCTAssertTrue(score.allPassed, "lab \(lab.number) on the full tree: \(score.passed)/\(score.total)")
        }

        for lab in LabCatalog.labs.reversed() {
            try writer.write(to: tree, lab: lab)
            XCTAssertTrue(try runner.build(reporter: reporter), "lab \(lab.number)'s student copy does not build")
            let score = try runner.run(lab, reporter: reporter)
            for (check, outcome) in score.results {
                guard case .failed(let reason) = outcome else {
                    XCTFail("lab \(lab.number): \(check.filter) passes on the stubs")
                    continue
                }
                XCTAssertTrue(reason.hasPrefix("lab \(lab.number):"),
                              "lab \(lab.number): \(check.filter) fails, but not through the lab's stub: \(reason)")
            }
            guard let earlier = LabCatalog.lab(lab.number - 1) else { continue }
            let before = try runner.run(earlier, reporter: reporter)
            XCTAssertTrue(before.allPassed,
                          "lab \(earlier.number)'s checks need later labs' code: \(before.passed)/\(before.total) in lab \(lab.number)'s copy")
        }
    }
}
