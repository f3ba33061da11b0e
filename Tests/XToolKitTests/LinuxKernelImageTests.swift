import Foundation
import XCTest
@testable import XToolKit

/// bzImage parsing and unpacking, on small made-up images.
final class LinuxKernelImageTests: XCTestCase {
    /// A bzImage-shaped file: `setupSectors` of setup after the boot
    /// sector, boot protocol `version`, and `payload` at `payloadOffset`
    /// into the protected-mode part (plus 4 trailing bytes, as the kernel
    /// build appends the uncompressed size).
    private func bzImage(payload: Data, setupSectors: UInt8 = 3, version: UInt16 = 0x020F,
                         payloadOffset: UInt32 = 0x40, lengthOverride: UInt32? = nil) -> Data {
        let protectedModeStart = ((setupSectors == 0 ? 4 : Int(setupSectors)) + 1) * 512   // 0 means 4
        var file = Data(count: protectedModeStart + Int(payloadOffset))
        file[0x1F1] = setupSectors
        file.replaceSubrange(0x202..<0x206, with: Data("HdrS".utf8))
        file.replaceSubrange(0x206..<0x208, with: withUnsafeBytes(of: version.littleEndian) { Data($0) })
        file.replaceSubrange(0x248..<0x24C, with: withUnsafeBytes(of: payloadOffset.littleEndian) { Data($0) })
        let length = lengthOverride ?? UInt32(payload.count)
        file.replaceSubrange(0x24C..<0x250, with: withUnsafeBytes(of: length.littleEndian) { Data($0) })
        return file + payload + Data([1, 2, 3, 4])
    }

    private let elf = Data([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]) + Data(repeating: 0xAB, count: 100)

    func testThePayloadIsFoundAndItsCompressionRecognized() throws {
        let xzStart = Data([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 9, 9])
        let file = bzImage(payload: xzStart)
        XCTAssertTrue(LinuxKernelImage.isBzImage(file))
        let image = try LinuxKernelImage(file)
        XCTAssertEqual(image.compression, .xz)
        XCTAssertEqual(image.payload, xzStart)
        XCTAssertEqual(try LinuxKernelImage(bzImage(payload: Data([0x1F, 0x8B, 8, 0]), setupSectors: 0)).compression, .gzip)
        XCTAssertEqual(try LinuxKernelImage(bzImage(payload: Data([0x28, 0xB5, 0x2F, 0xFD]))).compression, .zstd)
    }

    func testOtherFilesAreNotBzImages() {
        XCTAssertFalse(LinuxKernelImage.isBzImage(elf))
        XCTAssertFalse(LinuxKernelImage.isBzImage(Data(count: 0x300)))
        XCTAssertFalse(LinuxKernelImage.isBzImage(Data("HdrS".utf8)))
    }

    func testBadHeadersAreProblems() {
        let payload = Data([0x1F, 0x8B, 8, 0])
        XCTAssertThrowsError(try LinuxKernelImage(bzImage(payload: payload, version: 0x0206))) {
            XCTAssertEqual($0 as? LinuxKernelImage.Problem, .protocolTooOld(0x0206))
        }
        XCTAssertThrowsError(try LinuxKernelImage(bzImage(payload: payload, lengthOverride: 0xFFFF_FFFF))) {
            XCTAssertEqual($0 as? LinuxKernelImage.Problem, .payloadOutsideFile)
        }
        XCTAssertThrowsError(try LinuxKernelImage(bzImage(payload: payload, lengthOverride: 0))) {
            XCTAssertEqual($0 as? LinuxKernelImage.Problem, .payloadOutsideFile)
        }
        XCTAssertThrowsError(try LinuxKernelImage(bzImage(payload: Data("plain".utf8)))) {
            XCTAssertEqual($0 as? LinuxKernelImage.Problem, .unknownCompression)
        }
    }

    /// A gzip payload (made with the host's gzip) comes out as the ELF, into
    /// build/unpacked/, and is reused while it is newer than the bzImage.
    func testAGzipPayloadIsUnpackedOnce() throws {
        let folder = try TemporaryFolder()
        let raw = folder.url.appendingPathComponent("inner.elf")
        try elf.write(to: raw)
        let gzip = try XCTUnwrap(ExecutableLookup.find("gzip"))
        let compressed = folder.url.appendingPathComponent("inner.elf.gz")
        XCTAssertEqual(try CommandRunner.run(gzip, ["-c", raw.path], outputFile: compressed), 0)
        let kernel = folder.url.appendingPathComponent("vmlinuz-test")
        try bzImage(payload: try Data(contentsOf: compressed)).write(to: kernel)
        try folder.setTime(kernel, 0)

        let collected = CollectedLines()
        let reporter = Reporter { collected.append($0) }
        let module = BootModule(file: kernel, arguments: "console=hvc0")
        let unpacked = try KernelUnpacker.prepare(module, root: folder.url, reporter: reporter)
        XCTAssertEqual(unpacked.file.path, folder.url.appendingPathComponent("build/unpacked/vmlinuz-test.elf").path)
        XCTAssertEqual(unpacked.arguments, "console=hvc0")
        XCTAssertEqual(try Data(contentsOf: unpacked.file), elf)
        var lines = collected.lines
        XCTAssertEqual(lines.count, 1)
        XCTAssertTrue(lines[0].hasPrefix("unpacked: vmlinuz-test (a Linux bzImage, gzip)"), lines[0])

        _ = try KernelUnpacker.prepare(module, root: folder.url, reporter: reporter)
        lines = collected.lines
        XCTAssertEqual(lines.count, 1, "unpacked again although the result was up to date")
    }

    func testAPayloadThatIsNoELFFails() throws {
        let folder = try TemporaryFolder()
        let kernel = folder.url.appendingPathComponent("vmlinuz-broken")
        try bzImage(payload: Data([0x1F, 0x8B, 8, 0, 0, 0])).write(to: kernel)
        XCTAssertThrowsError(try KernelUnpacker.prepare(BootModule(file: kernel), root: folder.url, reporter: .silent)) {
            guard case .stepFailed(let step, _) = $0 as? XToolError else { return XCTFail("\($0)") }
            XCTAssertTrue(step.contains("vmlinuz-broken"), step)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("build/unpacked/vmlinuz-broken.elf").path))
    }

    func testOtherModulesAreUsedAsTheyAre() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("guest.elf")
        try elf.write(to: file)
        let module = BootModule(file: file, arguments: "x=1")
        XCTAssertEqual(try KernelUnpacker.prepare(module, root: folder.url, reporter: .silent), module)
    }

    func testTheKernelPackageIsTheMetaPackagesDependency() {
        let listing = """
        linux-image-amd64
          Depends: linux-image-6.1.0-56-amd64
          Recommends: firmware-linux-free
        """
        XCTAssertEqual(DebianKernel.dependency(in: listing), "linux-image-6.1.0-56-amd64")
        XCTAssertNil(DebianKernel.dependency(in: "linux-image-amd64\n  Recommends: irqbalance\n"))
    }
}

/// Lines a Reporter wrote (its closure must be Sendable).
private final class CollectedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var lines: [String] { lock.withLock { stored } }
    func append(_ line: String) { lock.withLock { stored.append(line) } }
}
