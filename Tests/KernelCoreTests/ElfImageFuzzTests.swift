import XCTest
@testable import KernelCore

/// Random mutations of valid images: the parser must either accept an
/// image whose every segment really lies inside the file, or throw. A trap
/// anywhere (parser or loader) fails the whole test run.
final class ElfImageFuzzTests: XCTestCase {
    private static let interesting: [UInt64] = [
        0, 1, 3, 4, 0x7F, 0xFF, 0x1000, 0xFFFF, 0x1_0000, 0x7FFF_FFFF, 0xFFFF_FFFF,
        0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_F000, 0xFFFF_FFFF_FFFF_FFFF,
    ]

    private func baseImage(is64Bit: Bool) -> [UInt8] {
        var writer = TestElfWriter(is64Bit: is64Bit)
        writer.addLoad(at: 0x2000, bytes: TestElfWriter.pattern(0x180), memorySize: 0x3000)
        let other = TestElfWriter.note(name: Array("GNU".utf8) + [0], type: 3, descriptor: TestElfWriter.pattern(8))
        let entry = TestElfWriter.note(name: Array("Xen".utf8) + [0], type: 18, descriptor: le(UInt32(0x2010)))
        writer.addNote(other + entry)
        writer.addLoad(at: 0x8000, bytes: TestElfWriter.pattern(0x40, seed: 7))
        return writer.build()
    }

    private func mutate(_ file: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
        var file = file
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            guard !file.isEmpty else { break }
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<4:
                file[Int.random(in: 0..<file.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            case 4..<8:
                let value = Self.interesting.randomElement(using: &random)!
                let width = [2, 4, 8].randomElement(using: &random)!
                guard file.count >= width else { break }
                let at = Int.random(in: 0...(file.count - width), using: &random) & ~(width - 1)
                file.replaceSubrange(at..<at + width, with: le(value).prefix(width))
            case 8:
                file.removeLast(Int.random(in: 0...file.count, using: &random))
            default:
                file += TestElfWriter.pattern(Int.random(in: 1...64, using: &random))
            }
        }
        return file
    }

    private func check(_ file: [UInt8], into memory: DomainMemory) {
        guard case .success(let image) = parseElf(file) else { return }
        XCTAssertFalse(image.segments.isEmpty)
        for segment in image.segments {
            XCTAssertLessThanOrEqual(segment.fileSize, segment.memorySize)
            XCTAssertLessThanOrEqual(segment.fileOffset + segment.fileSize, UInt64(file.count))
            XCTAssertFalse(segment.physicalAddress.addingReportingOverflow(segment.memorySize).overflow)
        }
        XCTAssertTrue(image.segments.contains { UInt64(image.entryPoint) >= $0.physicalAddress
            && UInt64(image.entryPoint) < $0.end })
        let module: [UInt8] = [1, 2, 3]
        module.withUnsafeBytes { moduleBytes in
            file.withUnsafeBytes { fileBytes in
                _ = try? PVHLoader.load(image: image, file: fileBytes, into: memory, commandLine: Array("x".utf8),
                                        modules: [PVHLoader.Module(bytes: moduleBytes, commandLine: [])])
            }
        }
    }

    private func fuzz(is64Bit: Bool, seed: UInt64) throws {
        let fake = FakePhysicalMemory(frames: 80)
        let memory = try DomainMemory(bytes: 256 * 1024, format: .npt, frames: FrameReferences(fake))
        let base = baseImage(is64Bit: is64Bit)
        guard case .success = parseElf(base) else { return XCTFail("the base image must parse") }
        var random = SeededGenerator(seed: seed)
        var parsed = 0
        for _ in 0..<4000 {
            let file = mutate(base, &random)
            if case .success = parseElf(file) { parsed += 1 }
            check(file, into: memory)
        }
        // Both outcomes must actually be exercised.
        XCTAssertGreaterThan(parsed, 100)
        XCTAssertLessThan(parsed, 3900)
    }

    func testMutatedELF64ImagesNeverTrap() throws { try fuzz(is64Bit: true, seed: 0x5EED_0064) }

    func testMutatedELF32ImagesNeverTrap() throws { try fuzz(is64Bit: false, seed: 0x5EED_0032) }
}
