import Foundation

/// Turns a boot module that is a Linux bzImage into the ELF inside it
/// (LinuxKernelImage), with the host's decompressor, into build/unpacked/.
/// Any other module is used as it is. The result is reused while it is
/// newer than the bzImage.
public enum KernelUnpacker {
    public static let folder = "build/unpacked"

    /// The program and arguments that write the decompressed payload to
    /// stdout, and the Debian package that has the program.
    static func decompressor(for compression: LinuxKernelImage.Compression) -> (program: String, arguments: [String], package: String) {
        switch compression {
        // The kernel build appends the uncompressed size after an xz
        // stream; --single-stream stops at the stream's end.
        case .xz: return ("xz", ["-dc", "--single-stream"], "xz-utils")
        case .lzma: return ("xz", ["-dc", "--format=lzma"], "xz-utils")
        case .gzip: return ("gzip", ["-dc"], "gzip")
        case .zstd: return ("zstd", ["-dc"], "zstd")
        case .bzip2: return ("bzip2", ["-dc"], "bzip2")
        case .lz4: return ("lz4", ["-dc"], "lz4")
        }
    }

    public static func prepare(_ module: BootModule, root: URL, reporter: Reporter) throws -> BootModule {
        guard let file = try? Data(contentsOf: module.file, options: .alwaysMapped),
              LinuxKernelImage.isBzImage(file) else {
            return module
        }
        let name = module.file.lastPathComponent
        let image: LinuxKernelImage
        do {
            image = try LinuxKernelImage(file)
        } catch {
            throw XToolError.invalidRequest("\(module.file.path) is a Linux bzImage, but \(error)")
        }
        let outputFolder = root.appendingPathComponent(folder)
        let output = outputFolder.appendingPathComponent(name + ".elf")
        if isNewer(output, than: module.file) {
            return BootModule(file: output, arguments: module.arguments)
        }
        let tool = decompressor(for: image.compression)
        guard let program = ExecutableLookup.find(tool.program) else {
            throw XToolError.hostToolMissing(name: tool.program, packages: [tool.package],
                                             reason: "needed to unpack the \(image.compression.rawValue) payload of \(name)")
        }
        try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)
        let compressed = outputFolder.appendingPathComponent(name + ".payload")
        try image.payload.write(to: compressed)
        defer { try? FileManager.default.removeItem(at: compressed) }
        let status = try CommandRunner.run(program, tool.arguments + [compressed.path], outputFile: output)
        // gzip and friends may complain about the size the kernel build
        // appends after the stream (exit 2, "trailing garbage"); what counts
        // is that an ELF came out. The hypervisor checks the ELF itself.
        let head = (try? FileHandle(forReadingFrom: output).readData(ofLength: 4)) ?? Data()
        guard head == Data([0x7F, 0x45, 0x4C, 0x46]) else {
            try? FileManager.default.removeItem(at: output)
            throw XToolError.stepFailed(step: "unpacking \(name) with \(tool.program)", exitCode: status)
        }
        reporter.line("unpacked: \(name) (a Linux bzImage, \(image.compression.rawValue)) -> \(folder)/\(output.lastPathComponent)")
        return BootModule(file: output, arguments: module.arguments)
    }

    private static func isNewer(_ file: URL, than source: URL) -> Bool {
        guard let made = UpToDateCheck.modificationDate(file),
              let original = UpToDateCheck.modificationDate(source) else {
            return false
        }
        return made > original
    }
}
