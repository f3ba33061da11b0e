import XCTest
@testable import XToolKit

final class StudentCopyTests: XCTestCase {
    func region(_ lab: Int) -> String {
        ["func f\(lab)() -> Int {",
         "    // LAB \(lab) " + "BEGIN: lab \(lab)'s code",
         "    // LAB \(lab) " + "STUB: fatalError(\"lab \(lab)\")",
         "    return \(lab)",
         "    // LAB \(lab) " + "END",
         "}", ""].joined(separator: "\n")
    }

    func makeTree() throws -> TemporaryFolder {
        let tree = try TemporaryFolder()
        try tree.write("Package.swift", "// package")
        try tree.write("Kernel/Core/One.swift", region(1))
        try tree.write("Kernel/Core/Three.c", region(3))
        try tree.write("Docs/labs/lab3-vm-exits.md", "# Lab 3\n")
        try tree.write("Docs/notes.md", "// LAB 3 " + "BEGIN: not code, not processed\n")
        try tree.write(".build/debug/x.o", "object")
        try tree.write("build/hypervisor.elf", "image")
        try tree.write(".git/HEAD", "ref")
        return tree
    }

    func testTheCopyStubsTheLabAndLaterLabsAndCarriesItsText() throws {
        let tree = try makeTree()
        let copy = try TemporaryFolder()
        let stubbed = try StudentCopy(root: tree.url).write(to: copy.url, lab: try XCTUnwrap(LabCatalog.lab(3)))
        XCTAssertEqual(stubbed, 1)
        let three = try String(contentsOf: copy.url.appendingPathComponent("Kernel/Core/Three.c"), encoding: .utf8)
        XCTAssertTrue(three.contains("\n    fatalError(\"lab 3\")\n"))
        XCTAssertFalse(three.contains("return 3"))
        let one = try String(contentsOf: copy.url.appendingPathComponent("Kernel/Core/One.swift"), encoding: .utf8)
        XCTAssertEqual(one, region(1))
        let text = try String(contentsOf: copy.url.appendingPathComponent("LAB.md"), encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("# Lab 3\n"))
        XCTAssertTrue(text.contains("xtool lab check 3"))
        XCTAssertEqual(try String(contentsOf: copy.url.appendingPathComponent("Docs/notes.md"), encoding: .utf8),
                       "// LAB 3 " + "BEGIN: not code, not processed\n")
    }

    func testBuildProductsAndVersionControlStayBehind() throws {
        let tree = try makeTree()
        let copy = try TemporaryFolder()
        try StudentCopy(root: tree.url).write(to: copy.url, lab: nil)
        for path in [".build", "build", ".git", "LAB.md"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: copy.url.appendingPathComponent(path).path), path)
        }
        XCTAssertEqual(try String(contentsOf: copy.url.appendingPathComponent("Kernel/Core/Three.c"), encoding: .utf8), region(3))
    }

    func testCopyingAgainRewritesOnlyWhatChangedAndRemovesWhatIsGone() throws {
        let tree = try makeTree()
        let copy = try TemporaryFolder()
        let writer = StudentCopy(root: tree.url)
        try writer.write(to: copy.url, lab: nil)
        let one = copy.url.appendingPathComponent("Kernel/Core/One.swift")
        let three = copy.url.appendingPathComponent("Kernel/Core/Three.c")
        try copy.setTime(one, 0)
        try copy.setTime(three, 0)
        try copy.write("Stale.swift", "left over")
        try copy.write(".build/keep.o", "the copy's own build stays")

        try writer.write(to: copy.url, lab: try XCTUnwrap(LabCatalog.lab(3)))
        let modified = { (url: URL) in try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date }
        XCTAssertEqual(try modified(one), Date(timeIntervalSince1970: 1_700_000_000), "unchanged file rewritten")
        XCTAssertNotEqual(try modified(three), Date(timeIntervalSince1970: 1_700_000_000), "stubbed file not rewritten")
        XCTAssertFalse(FileManager.default.fileExists(atPath: copy.url.appendingPathComponent("Stale.swift").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: copy.url.appendingPathComponent(".build/keep.o").path))
    }

    func testAMarkerErrorStopsTheCopyAndNamesTheFile() throws {
        let tree = try makeTree()
        try tree.write("Kernel/Core/Bad.swift", "// LAB 5 " + "END\n")
        let copy = try TemporaryFolder()
        XCTAssertThrowsError(try StudentCopy(root: tree.url).write(to: copy.url, lab: LabCatalog.lab(5))) { error in
            XCTAssertEqual("\(error)", "Kernel/Core/Bad.swift:1: LAB 5 END without a BEGIN")
        }
    }

    func testScriptsStayExecutable() throws {
        let tree = try makeTree()
        let script = try tree.write(".ci/run", "#!/bin/sh\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let copy = try TemporaryFolder()
        try StudentCopy(root: tree.url).write(to: copy.url, lab: nil)
        let permissions = try FileManager.default.attributesOfItem(atPath: copy.url.appendingPathComponent(".ci/run").path)[.posixPermissions] as? NSNumber
        XCTAssertEqual(permissions?.intValue, 0o755)
    }
}
