import XCTest
@testable import XToolKit

final class CPIOArchiveTests: XCTestCase {
    /// One entry as a reader sees it.
    private struct ReadEntry: Equatable {
        var name: String
        var inode: UInt32
        var mode: UInt32
        var links: UInt32
        var rdev: (UInt32, UInt32)
        var data: Data

        static func == (a: ReadEntry, b: ReadEntry) -> Bool {
            a.name == b.name && a.inode == b.inode && a.mode == b.mode && a.links == b.links
                && a.rdev == b.rdev && a.data == b.data
        }
    }

    /// A reader of newc archives, written from the format's description,
    /// strict about what the writer must get right: magic, hex fields,
    /// NUL-terminated names, padding to 4, the trailer at the end.
    private func read(_ archive: Data) throws -> [ReadEntry] {
        let bytes = [UInt8](archive)
        var offset = 0
        var entries: [ReadEntry] = []
        func text(_ count: Int) throws -> String {
            guard offset + count <= bytes.count else { throw ReaderError("truncated at \(offset)") }
            defer { offset += count }
            return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
        }
        func field() throws -> UInt32 {
            let digits = try text(8)
            guard let value = UInt32(digits, radix: 16) else { throw ReaderError("bad field \(digits)") }
            return value
        }
        func skipPadding() throws {
            while offset % 4 != 0 {
                guard offset < bytes.count, bytes[offset] == 0 else { throw ReaderError("bad padding at \(offset)") }
                offset += 1
            }
        }
        while true {
            XCTAssertEqual(offset % 4, 0, "every header starts at a multiple of 4")
            guard try text(6) == "070701" else { throw ReaderError("bad magic at \(offset - 6)") }
            let values = try (0..<13).map { _ in try field() }
            let nameSize = Int(values[11])
            let nameBytes = try text(nameSize)
            guard nameBytes.hasSuffix("\0") else { throw ReaderError("name without NUL") }
            let name = String(nameBytes.dropLast())
            try skipPadding()
            let size = Int(values[6])
            guard offset + size <= bytes.count else { throw ReaderError("data truncated") }
            let data = Data(bytes[offset..<offset + size])
            offset += size
            try skipPadding()
            if name == "TRAILER!!!" {
                XCTAssertEqual(offset, bytes.count, "nothing after the trailer")
                return entries
            }
            entries.append(ReadEntry(name: name, inode: values[0], mode: values[1], links: values[4],
                                     rdev: (values[9], values[10]), data: data))
        }
    }

    private struct ReaderError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    func testExactBytesOfOneFile() {
        var archive = CPIOArchive()
        archive.addFile("init", contents: Data("hi\n".utf8), permissions: 0o755)
        let header = "070701" + "00000001" + "000081ED" + "00000000" + "00000000" + "00000001" + "00000000"
            + "00000003" + "00000000" + "00000000" + "00000000" + "00000000" + "00000005" + "00000000"
        XCTAssertEqual(header.utf8.count, 110)
        // 110 + 5 name bytes = 115: one byte of padding; "hi\n" + one.
        var expected = Data(header.utf8) + Data("init\0".utf8) + [0] + Data("hi\n".utf8) + [0]
        let trailer = "070701" + "00000000" + "00000000" + "00000000" + "00000000" + "00000001" + "00000000"
            + "00000000" + "00000000" + "00000000" + "00000000" + "00000000" + "0000000B" + "00000000"
        // 110 + 11 = 121: three bytes of padding.
        expected += Data(trailer.utf8) + Data("TRAILER!!!\0".utf8) + [0, 0, 0]
        XCTAssertEqual(archive.data, expected)
    }

    func testEveryKindReadsBack() throws {
        var archive = CPIOArchive()
        archive.addDirectory("bin")
        archive.addDirectory("tmp", permissions: 0o1777)
        archive.addCharacterDevice("dev/console", major: 5, minor: 1)
        archive.addFile("bin/busybox", contents: Data([0x7F, 0x45, 0x4C, 0x46, 1, 2, 3]), permissions: 0o755)
        archive.addSymbolicLink("bin/sh", to: "busybox")
        archive.addFile("empty", contents: Data())
        XCTAssertEqual(try read(archive.data), [
            ReadEntry(name: "bin", inode: 1, mode: 0o040755, links: 2, rdev: (0, 0), data: Data()),
            ReadEntry(name: "tmp", inode: 2, mode: 0o041777, links: 2, rdev: (0, 0), data: Data()),
            ReadEntry(name: "dev/console", inode: 3, mode: 0o020600, links: 1, rdev: (5, 1), data: Data()),
            ReadEntry(name: "bin/busybox", inode: 4, mode: 0o100755, links: 1, rdev: (0, 0), data: Data([0x7F, 0x45, 0x4C, 0x46, 1, 2, 3])),
            ReadEntry(name: "bin/sh", inode: 5, mode: 0o120777, links: 1, rdev: (0, 0), data: Data("busybox".utf8)),
            ReadEntry(name: "empty", inode: 6, mode: 0o100644, links: 1, rdev: (0, 0), data: Data()),
        ])
    }

    func testPaddingForEveryNameAndDataLength() throws {
        // Names of 1 to 8 characters and data of 0 to 7 bytes cover every remainder mod 4.
        var archive = CPIOArchive()
        for length in 1...8 {
            archive.addFile(String(repeating: "n", count: length), contents: Data(repeating: UInt8(length), count: length - 1))
        }
        let entries = try read(archive.data)
        XCTAssertEqual(entries.map(\.name.count), Array(1...8))
        XCTAssertEqual(entries.map(\.data.count), Array(0...7))
        XCTAssertEqual(archive.data.count % 4, 0)
    }

    func testAnEmptyArchiveIsATrailer() throws {
        XCTAssertEqual(try read(CPIOArchive().data), [])
        XCTAssertEqual(CPIOArchive().data.count, 124)
    }

    func testHexFields() {
        XCTAssertEqual(CPIOArchive.hex8(0), "00000000")
        XCTAssertEqual(CPIOArchive.hex8(0x1E3F30), "001E3F30")
        XCTAssertEqual(CPIOArchive.hex8(UInt32.max), "FFFFFFFF")
    }
}
