import XCTest
@testable import KernelCore

final class ElfImageTests: XCTestCase {
    private func image(_ file: [UInt8], file path: StaticString = #filePath, line: UInt = #line) -> ElfImage? {
        switch parseElf(file) {
        case .success(let image): return image
        case .failure(let error):
            XCTFail("expected a valid image, got \(error.message)", file: path, line: line)
            return nil
        }
    }

    private func assertFails(_ file: [UInt8], _ expected: ElfError,
                             file path: StaticString = #filePath, line: UInt = #line) {
        switch parseElf(file) {
        case .success: XCTFail("expected \(expected.message), the image parsed", file: path, line: line)
        case .failure(let error): XCTAssertEqual(error, expected, file: path, line: line)
        }
    }

    // MARK: - Valid images

    func testELF64SegmentAndEntry() throws {
        let writer = TestElfWriter.pvh(is64Bit: true, loadAddress: 0x10_0000, code: TestElfWriter.pattern(0x300),
                                       memorySize: 0x2000, entry: 0x10_0040)
        let parsed = try XCTUnwrap(image(writer.build()))
        XCTAssertTrue(parsed.is64Bit)
        XCTAssertEqual(parsed.segments, [ElfImage.Segment(fileOffset: UInt64(writer.dataOffset(0)), fileSize: 0x300,
                                                          memorySize: 0x2000, physicalAddress: 0x10_0000)])
        XCTAssertEqual(parsed.entryPoint, 0x10_0040)
        XCTAssertEqual(parsed.lowestAddress, 0x10_0000)
        XCTAssertEqual(parsed.highestAddress, 0x10_2000)
    }

    func testELF32TwoSegmentsAndEntry() throws {
        var writer = TestElfWriter(is64Bit: false)
        writer.addLoad(at: 0x20_0000, bytes: TestElfWriter.pattern(0x80))
        writer.addPhys32EntryNote(0x30_0010)
        writer.addLoad(at: 0x30_0000, bytes: TestElfWriter.pattern(0x40), memorySize: 0x1000)
        let parsed = try XCTUnwrap(image(writer.build()))
        XCTAssertFalse(parsed.is64Bit)
        XCTAssertEqual(parsed.segments, [
            ElfImage.Segment(fileOffset: UInt64(writer.dataOffset(0)), fileSize: 0x80, memorySize: 0x80,
                             physicalAddress: 0x20_0000),
            ElfImage.Segment(fileOffset: UInt64(writer.dataOffset(2)), fileSize: 0x40, memorySize: 0x1000,
                             physicalAddress: 0x30_0000),
        ])
        XCTAssertEqual(parsed.entryPoint, 0x30_0010)
        XCTAssertEqual(parsed.lowestAddress, 0x20_0000)
        XCTAssertEqual(parsed.highestAddress, 0x30_1000)
    }

    func testEmptyLoadSegmentIsIgnored() throws {
        var writer = TestElfWriter.pvh(entry: 0x10_0000)
        writer.addLoad(at: 0x50_0000, bytes: [], memorySize: 0)
        let parsed = try XCTUnwrap(image(writer.build()))
        XCTAssertEqual(parsed.segments.map(\.physicalAddress), [0x10_0000])
    }

    func testOtherNotesBeforeTheEntryNoteAreSkipped() throws {
        var writer = TestElfWriter(is64Bit: true)
        writer.addLoad(at: 0x10_0000, bytes: TestElfWriter.pattern(0x100))
        let guestOS = TestElfWriter.note(name: Array("Xen".utf8) + [0], type: 6, descriptor: Array("linux\0".utf8))
        let gnu = TestElfWriter.note(name: Array("GNU".utf8) + [0], type: 18, descriptor: le(UInt32(0x10_0004)))
        let entry = TestElfWriter.note(name: Array("Xen".utf8) + [0], type: 18, descriptor: le(UInt32(0x10_0008)))
        writer.addNote(guestOS + gnu + entry)
        XCTAssertEqual(image(writer.build())?.entryPoint, 0x10_0008)
    }

    func testEntryNoteWithEightByteDescriptor() {
        var writer = TestElfWriter(is64Bit: true)
        writer.addLoad(at: 0x10_0000, bytes: TestElfWriter.pattern(0x100))
        writer.addNote(TestElfWriter.note(name: Array("Xen".utf8) + [0], type: 18,
                                          descriptor: le(UInt64(0xFFFF_FFFF_0010_0020))))
        XCTAssertEqual(image(writer.build())?.entryPoint, 0x10_0020)
    }

    // MARK: - Header errors

    func testTooShort() {
        assertFails(Array(TestElfWriter.pvh().build().prefix(51)),
                    .truncated("the file is 51 bytes, shorter than an ELF header"))
        assertFails([], .truncated("the file is 0 bytes, shorter than an ELF header"))
    }

    func testELF64HeaderCutShort() {
        assertFails(Array(TestElfWriter.pvh(is64Bit: true).build().prefix(60)),
                    .truncated("the ELF64 header is cut short"))
    }

    func testBadMagic() {
        var file = TestElfWriter.pvh().build()
        file[1] = UInt8(ascii: "X")
        assertFails(file, .notElf)
    }

    func testBigEndian() {
        var file = TestElfWriter.pvh().build()
        file[5] = 2
        assertFails(file, .unsupported("big-endian data"))
    }

    func testClassThree() {
        var file = TestElfWriter.pvh().build()
        file[4] = 3
        assertFails(file, .unsupported("ELF class 3"))
    }

    func testSharedObjectIsRefused() {
        var writer = TestElfWriter.pvh()
        writer.elfType = 3
        assertFails(writer.build(), .unsupported("ELF type 3 (only executables, ET_EXEC, boot)"))
    }

    func testARMIsRefused() {
        var writer = TestElfWriter.pvh(is64Bit: false)
        writer.machine = 40
        assertFails(writer.build(), .unsupported("machine 40 (not x86)"))
    }

    func testProgramHeaderTableOutsideTheFile() {
        let writer = TestElfWriter.pvh(is64Bit: true)
        var file = writer.build()
        file.put64(UInt64(file.count - 56 * 2 + 1), at: 32)
        assertFails(file, .truncated("the program header table lies outside the file"))
        file.put64(UInt64.max - 8, at: 32)
        assertFails(file, .truncated("the program header table lies outside the file"))
    }

    func testProgramHeaderTableOutsideAnELF32File() {
        var file = TestElfWriter.pvh(is64Bit: false).build()
        file.put32(UInt32.max - 16, at: 28)
        assertFails(file, .truncated("the program header table lies outside the file"))
    }

    func testTooManyProgramHeaders() {
        var file = TestElfWriter.pvh().build()
        file.put16(65, at: 56)
        assertFails(file, .malformed("65 program headers (at most 64)"))
    }

    func testProgramHeaderEntrySizeTooSmall() {
        var file = TestElfWriter.pvh(is64Bit: false).build()
        file.put16(31, at: 42)
        assertFails(file, .malformed("program header size 31"))
    }

    // MARK: - Segment errors

    func testFileSizeLargerThanMemorySize() {
        let writer = TestElfWriter.pvh()
        var file = writer.build()
        writer.patch(&file, segment: 0, .memorySize, 0xFF)
        assertFails(file, .malformed("a segment has more file bytes (256) than memory (255)"))
    }

    func testSegmentBytesOutsideTheFile() {
        let writer = TestElfWriter.pvh()
        var file = writer.build()
        writer.patch(&file, segment: 0, .offset, UInt64(file.count - 0xFF))
        assertFails(file, .truncated("a segment's bytes lie outside the file"))
        writer.patch(&file, segment: 0, .offset, UInt64.max - 0x10)
        assertFails(file, .truncated("a segment's bytes lie outside the file"))
    }

    func testSegmentThatWrapsAroundTheAddressSpace() {
        let writer = TestElfWriter.pvh(loadAddress: 0xFFFF_FFFF_FFFF_F000, memorySize: 0x2000)
        assertFails(writer.build(), .malformed("a segment wraps around the address space"))
    }

    func testNoLoadableSegment() {
        var writer = TestElfWriter(is64Bit: true)
        writer.addPhys32EntryNote(0x10_0000)
        assertFails(writer.build(), .noLoadableSegments)
    }

    // MARK: - Note errors

    func testNoEntryNoteIsNotPVH() {
        var writer = TestElfWriter(is64Bit: true)
        writer.addLoad(at: 0x10_0000, bytes: TestElfWriter.pattern(0x10))
        assertFails(writer.build(), .notPVH)
        writer.addNote(TestElfWriter.note(name: Array("Xen".utf8) + [0], type: 1, descriptor: le(UInt32(0x10_0000))))
        assertFails(writer.build(), .notPVH)
    }

    func testEntryNoteWithBadDescriptorSize() {
        var writer = TestElfWriter(is64Bit: true)
        writer.addLoad(at: 0x10_0000, bytes: TestElfWriter.pattern(0x10))
        writer.addNote(TestElfWriter.note(name: Array("Xen".utf8) + [0], type: 18, descriptor: [0, 0, 0x10, 0, 0, 0]))
        assertFails(writer.build(), .malformed("the PHYS32_ENTRY note has 6 bytes"))
    }

    func testNoteWithOversizedName() {
        let writer = TestElfWriter.pvh()
        var file = writer.build()
        file.put32(257, at: writer.dataOffset(1))
        assertFails(file, .malformed("a note runs past its segment"))
    }

    func testNoteRunningPastItsSegment() {
        let writer = TestElfWriter.pvh()
        var file = writer.build()
        writer.patch(&file, segment: 1, .fileSize, 19)        // the note is 20 bytes
        assertFails(file, .malformed("a note runs past its segment"))
        writer.patch(&file, segment: 1, .fileSize, 11)        // not even a note header: nothing to walk
        assertFails(file, .notPVH)
        writer.patch(&file, segment: 1, .fileSize, 20)
        file.put32(0x1000, at: writer.dataOffset(1) + 4)      // descsz reaches far past the segment
        assertFails(file, .malformed("a note runs past its segment"))
    }

    func testNoteSegmentOutsideTheFile() {
        let writer = TestElfWriter.pvh()
        var file = writer.build()
        writer.patch(&file, segment: 1, .offset, UInt64(file.count - 8))
        assertFails(file, .truncated("a note segment lies outside the file"))
        writer.patch(&file, segment: 1, .offset, 0)
        writer.patch(&file, segment: 1, .fileSize, 64 * 1024 + 4)
        assertFails(file, .truncated("a note segment lies outside the file"))
    }

    func testEntryOutsideEverySegment() {
        assertFails(TestElfWriter.pvh(loadAddress: 0x10_0000, code: TestElfWriter.pattern(0x100),
                                      memorySize: 0x1000, entry: 0x10_1000).build(),
                    .entryOutsideImage(0x10_1000))
        assertFails(TestElfWriter.pvh(loadAddress: 0x10_0000, entry: 0xF_FFFF).build(), .entryOutsideImage(0xF_FFFF))
    }

    func testErrorMessages() {
        XCTAssertEqual(ElfError.entryOutsideImage(0x10_1000).message,
                       "the PVH entry 0x00101000 is outside every loadable segment")
        XCTAssertEqual(ElfError.truncated("x").message, "truncated ELF: x")
    }
}
