import XCTest
@testable import XToolKit

/// The marker scheme: well-formed regions become stubs in a student copy and
/// stay untouched in the full tree; every malformed use is an error that
/// names the file and line. Inputs are built from arrays of lines so that
/// no line of this file is itself a marker.
final class LabMarkersTests: XCTestCase {
    let known = 1...8

    func source(_ lines: String...) -> String { lines.joined(separator: "\n") }

    var marked: String {
        source("func area() -> Int {",
               "    // LAB 3 " + "BEGIN: compute the area",
               "    // LAB 3 " + "STUB: fatalError(\"lab 3: area\")",
               "    let width = 2",
               "    return width * 3",
               "    // LAB 3 " + "END",
               "}",
               "")
    }

    func testARegionIsFoundWithItsStubAndLines() throws {
        let regions = try LabMarkers.parse(marked, file: "A.swift", knownLabs: known)
        XCTAssertEqual(regions, [LabRegion(lab: 3, description: "compute the area", beginLine: 2,
                                           stubLines: ["fatalError(\"lab 3: area\")"], solutionStart: 4, endLine: 6)])
    }

    func testTheStudentCopyOfTheLabAndLaterLabsHasTheStub() throws {
        let expected = source("func area() -> Int {",
                              "    // LAB 3 " + "BEGIN: compute the area",
                              "    fatalError(\"lab 3: area\")",
                              "    // LAB 3 " + "END",
                              "}",
                              "")
        XCTAssertEqual(try LabMarkers.studentText(of: marked, file: "A.swift", firstStubbedLab: 3, knownLabs: known), expected)
        XCTAssertEqual(try LabMarkers.studentText(of: marked, file: "A.swift", firstStubbedLab: 1, knownLabs: known), expected)
    }

    func testEarlierLabsAndTheFullTreeKeepTheSolution() throws {
        XCTAssertEqual(try LabMarkers.studentText(of: marked, file: "A.swift", firstStubbedLab: 4, knownLabs: known), marked)
        XCTAssertEqual(try LabMarkers.studentText(of: marked, file: "A.swift", firstStubbedLab: nil, knownLabs: known), marked)
    }

    func testSeveralStubLinesAndSeveralRegionsInOneFile() throws {
        let text = source("a",
                          "  // LAB 1 " + "BEGIN: one",
                          "  // LAB 1 " + "STUB: let x = 1",
                          "  // LAB 1 " + "STUB: fatalError(\"lab 1\")",
                          "  solution1",
                          "  // LAB 1 " + "END",
                          "b",
                          "\t// LAB 2 " + "BEGIN: two",
                          "\t// LAB 2 " + "STUB: fatalError(\"lab 2\")",
                          "\tsolution2",
                          "\t// LAB 2 " + "END",
                          "c")
        let student = try LabMarkers.studentText(of: text, file: "B.c", firstStubbedLab: 2, knownLabs: known)
        XCTAssertEqual(student, source("a",
                                       "  // LAB 1 " + "BEGIN: one",
                                       "  // LAB 1 " + "STUB: let x = 1",
                                       "  // LAB 1 " + "STUB: fatalError(\"lab 1\")",
                                       "  solution1",
                                       "  // LAB 1 " + "END",
                                       "b",
                                       "\t// LAB 2 " + "BEGIN: two",
                                       "\tfatalError(\"lab 2\")",
                                       "\t// LAB 2 " + "END",
                                       "c"))
        let all = try LabMarkers.studentText(of: text, file: "B.c", firstStubbedLab: 1, knownLabs: known)
        XCTAssertTrue(all.contains("  let x = 1\n  fatalError(\"lab 1\")\n  // LAB 1 " + "END"))
        XCTAssertFalse(all.contains("solution"))
    }

    func testAnUnclosedRegionIsAnError() {
        let text = source("x", "// LAB 2 " + "BEGIN: two", "// LAB 2 " + "STUB: fatalError()", "code")
        assertError(text, line: 2, .beginWithoutEnd(2), "F.swift:2: LAB 2 BEGIN without an END")
    }

    func testAnEndWithoutABeginIsAnError() {
        assertError(source("x", "// LAB 2 " + "END"), line: 2, .endWithoutBegin(2), "F.swift:2: LAB 2 END without a BEGIN")
    }

    func testNestedRegionsAreAnError() {
        let text = source("// LAB 2 " + "BEGIN: outer", "// LAB 2 " + "STUB: x()", "// LAB 3 " + "BEGIN: inner")
        assertError(text, line: 3, .nested(inside: 2, openedAt: 1),
                    "F.swift:3: a lab region cannot open inside another (lab 2's, opened at line 1)")
    }

    func testAnEndOfAnotherLabIsAnError() {
        let text = source("// LAB 2 " + "BEGIN: two", "// LAB 2 " + "STUB: x()", "// LAB 3 " + "END")
        assertError(text, line: 3, .endOfOtherLab(3, open: 2, openedAt: 1),
                    "F.swift:3: LAB 3 END inside lab 2's region (opened at line 1)")
    }

    func testAnUnknownLabIsAnError() {
        assertError(source("// LAB 9 " + "BEGIN: nine"), line: 1, .unknownLab(9), "F.swift:1: lab 9 is not in the lab catalog")
    }

    func testARegionWithoutAStubIsAnError() {
        let text = source("a", "// LAB 4 " + "BEGIN: four", "code", "// LAB 4 " + "END")
        assertError(text, line: 2, .stubMissing(4),
                    "F.swift:2: lab 4 region has no STUB line: its student copy would not compile or fail clearly")
    }

    func testAStubAfterSolutionCodeOrOutsideARegionIsAnError() {
        let late = source("// LAB 4 " + "BEGIN: four", "// LAB 4 " + "STUB: a()", "code", "// LAB 4 " + "STUB: b()")
        assertError(late, line: 4, .stubAfterSolution(4),
                    "F.swift:4: LAB 4 STUB after solution code: the stub lines come right after BEGIN")
        assertError(source("// LAB 4 " + "STUB: a()"), line: 1, .stubOutsideRegion(4), "F.swift:1: LAB 4 STUB outside a lab 4 region")
    }

    func testAMisspeltMarkerIsAnErrorNotCode() {
        assertError(source("  // LAB 4 " + "BEGINS here"), line: 1, .malformed("// LAB 4 BEGINS here"),
                    "F.swift:1: not a lab marker: \"// LAB 4 BEGINS here\" (want \"// LAB N BEGIN: what\", \"// LAB N STUB: code\" or \"// LAB N END\")")
        assertError(source("// LAB x " + "END"), line: 1, .malformed("// LAB x END"), nil)
        assertError(source("// LAB 4 " + "BEGIN: "), line: 1, .malformed("// LAB 4 BEGIN: "), nil)
    }

    func testOrdinaryCommentsAreNotMarkers() throws {
        let text = source("// LABEL: not a marker", "// lab 3 begin", "let s = \"// LAB 3 " + "END\"")
        XCTAssertEqual(try LabMarkers.parse(text, file: "F.swift", knownLabs: known), [])
    }

    private func assertError(_ text: String, line: Int, _ problem: LabMarkerError.Problem, _ message: String?,
                             file: StaticString = #filePath, testLine: UInt = #line) {
        XCTAssertThrowsError(try LabMarkers.parse(text, file: "F.swift", knownLabs: known), file: file, line: testLine) { error in
            guard let error = error as? LabMarkerError else { return XCTFail("\(error)", file: file, line: testLine) }
            XCTAssertEqual(error.line, line, file: file, line: testLine)
            XCTAssertEqual(error.problem, problem, file: file, line: testLine)
            if let message { XCTAssertEqual(error.description, message, file: file, line: testLine) }
        }
    }
}
