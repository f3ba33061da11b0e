import XCTest
@testable import XToolKit

final class UpToDateCheckTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var source: URL!
    private var header: URL!
    private var output: URL!
    private var step: BuildStep!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        source = try folder.write("src/a.c", "int a;")
        header = try folder.write("include/a.h", "")
        output = try folder.write("build/a.o", "object")
        step = BuildStep(
            summary: "compile src/a.c", tool: URL(fileURLWithPath: "/bin/cc"),
            arguments: ["-c", "src/a.c", "-o", "build/a.o"], inputs: [source, header], output: output
        )
        try folder.setTime(source, 0)
        try folder.setTime(header, 0)
        try (step.commandLine + "\n").write(to: step.recordFile, atomically: true, encoding: .utf8)
        try folder.setTime(output, 10)
    }

    func testFreshOutputWithSameCommandIsUpToDate() {
        XCTAssertTrue(UpToDateCheck.isUpToDate(step))
    }

    func testNewerSourceIsStale() throws {
        try folder.setTime(source, 20)
        XCTAssertFalse(UpToDateCheck.isUpToDate(step))
    }

    func testNewerHeaderIsStale() throws {
        try folder.setTime(header, 20)
        XCTAssertFalse(UpToDateCheck.isUpToDate(step))
    }

    func testSameTimeIsUpToDate() throws {
        try folder.setTime(source, 10)
        XCTAssertTrue(UpToDateCheck.isUpToDate(step))
    }

    func testChangedCommandIsStale() {
        var changed = step!
        changed.arguments.insert("-O2", at: 0)
        XCTAssertFalse(UpToDateCheck.isUpToDate(changed))
    }

    func testMissingRecordIsStale() throws {
        try FileManager.default.removeItem(at: step.recordFile)
        XCTAssertFalse(UpToDateCheck.isUpToDate(step))
    }

    func testMissingOutputIsStale() throws {
        try FileManager.default.removeItem(at: output)
        XCTAssertFalse(UpToDateCheck.isUpToDate(step))
    }

    func testMissingInputIsStale() throws {
        try FileManager.default.removeItem(at: header)
        XCTAssertFalse(UpToDateCheck.isUpToDate(step))
    }

    func testRecordMakesStepUpToDateAndForgetUndoesIt() throws {
        try FileManager.default.removeItem(at: step.recordFile)
        try folder.setTime(source, 20)
        try UpToDateCheck.record(step)  // stamps the output with "now"
        XCTAssertTrue(UpToDateCheck.isUpToDate(step))
        UpToDateCheck.forget(step)
        XCTAssertFalse(UpToDateCheck.isUpToDate(step))
    }

    func testRecordFileSitsBesideOutput() {
        XCTAssertEqual(step.recordFile.lastPathComponent, "a.o.cmd")
        XCTAssertEqual(step.recordFile.deletingLastPathComponent(), output.deletingLastPathComponent())
    }
}
