import Foundation
import XCTest
@testable import XToolKit

/// The root file system's /sbin/disk-bench: its row arithmetic, run in the
/// host's sh and awk as busybox runs it in the domU.
final class DiskBenchScriptTests: XCTestCase {
    private func row(_ arguments: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", DiskBenchScript.rowFunction + "\nrow " + arguments]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func testARowGivesMegabytesPerSecondAndNanosecondsPerKiB() throws {
        XCTAssertEqual(try row("read 8192 10.50 11.50"), "disk-bench: read 8192 KiB in 1.00 s: 8.39 MB/s, 122070 ns per KiB\n")
        XCTAssertEqual(try row("write 1024 3.00 3.25"), "disk-bench: write 1024 KiB in 0.25 s: 4.19 MB/s, 244140 ns per KiB\n")
    }

    /// /proc/uptime has 10 ms steps: a run inside one step counts as one step, not as infinitely fast.
    func testNoTimeAtAllCountsAsOneClockStep() throws {
        XCTAssertEqual(try row("read 64 2.00 2.00"), "disk-bench: read 64 KiB in 0.01 s: 6.55 MB/s, 156250 ns per KiB\n")
    }

    func testTheRootFileSystemCarriesIt() {
        let entry = RootFileSystem.entries(busybox: Data([0x7F])).first { $0.path == "sbin/disk-bench" }
        XCTAssertEqual(entry?.permissions, 0o755)
        XCTAssertEqual(entry?.kind, .file(Data(DiskBenchScript.text.utf8)))
    }
}
