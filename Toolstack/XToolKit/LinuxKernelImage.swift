import Foundation

/// A Linux bzImage (/boot/vmlinuz-*): a real-mode setup part, then a
/// protected-mode part that holds the compressed kernel ELF (the payload).
///
/// The PVH entry point is an ELF note of that inner ELF, so, like Xen's own
/// toolstack (libxenguest's bzImage loader), xtool takes the payload out and
/// boots the ELF. Offsets from the Linux x86 boot protocol
/// (Documentation/arch/x86/boot.rst), version 2.08 and later.
public struct LinuxKernelImage: Equatable {
    /// How the payload is compressed, recognized by its first bytes.
    public enum Compression: String, Equatable {
        case gzip, xz, zstd, bzip2, lzma, lz4

        static func recognize(_ bytes: Data) -> Compression? {
            let head = [UInt8](bytes.prefix(6))
            func starts(_ magic: [UInt8]) -> Bool { head.starts(with: magic) }
            if starts([0x1F, 0x8B]) { return .gzip }
            if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
            if starts([0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
            if starts([0x42, 0x5A, 0x68]) { return .bzip2 }
            if starts([0x5D, 0x00, 0x00]) { return .lzma }
            if starts([0x02, 0x21, 0x4C, 0x18]) { return .lz4 }
            return nil
        }
    }

    public var compression: Compression
    public var payload: Data

    /// Why a file that looks like a bzImage cannot be used.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case protocolTooOld(UInt16)
        case payloadOutsideFile
        case unknownCompression

        public var description: String {
            switch self {
            case .protocolTooOld(let version):
                return "boot protocol \(version >> 8).\(String(format: "%02d", version & 0xFF)) has no payload fields (2.08 or later needed)"
            case .payloadOutsideFile: return "its payload lies outside the file"
            case .unknownCompression: return "its payload is compressed in a way xtool does not know"
            }
        }
    }

    /// True for a file with the boot protocol's "HdrS" signature at 0x202.
    public static func isBzImage(_ file: Data) -> Bool {
        file.count > 0x250 && file.subdata(in: 0x202..<0x206) == Data("HdrS".utf8)
    }

    public init(_ file: Data) throws(Problem) {
        func byte(_ offset: Int) -> UInt64 { UInt64(file[file.startIndex + offset]) }
        func little(_ offset: Int, _ count: Int) -> UInt64 {
            (0..<count).reduce(0) { $0 | byte(offset + $1) << UInt64($1 * 8) }
        }
        let version = UInt16(little(0x206, 2))
        guard version >= 0x0208 else { throw .protocolTooOld(version) }
        let setupSectors = byte(0x1F1) == 0 ? 4 : byte(0x1F1)
        let protectedModeStart = (setupSectors + 1) * 512
        let start = protectedModeStart + little(0x248, 4)
        let (end, overflow) = start.addingReportingOverflow(little(0x24C, 4))
        guard !overflow, end <= UInt64(file.count), start < end else { throw .payloadOutsideFile }
        payload = file.subdata(in: (file.startIndex + Int(start))..<(file.startIndex + Int(end)))
        guard let compression = Compression.recognize(payload) else { throw .unknownCompression }
        self.compression = compression
    }
}
