import Foundation

/// A cpio archive in the "newc" format (magic "070701"), the one Linux
/// unpacks into its root file system when it is given as the initrd.
///
/// Each entry is a 110-byte header of ASCII fields (the magic, then thirteen
/// 8-digit hexadecimal numbers), the path with a NUL, padded so that the data
/// starts at a multiple of 4 bytes, then the data, padded to 4 as well. An
/// entry named "TRAILER!!!" ends the archive.
///
/// Written here rather than by cpio(1) so that the entries need no files on
/// the host: a device node such as /dev/console, and root as the owner of
/// everything, need no root. Every time stamp is 0, so the same entries give
/// the same bytes.
public struct CPIOArchive: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case directory
        case file(Data)
        case symbolicLink(target: String)
        case characterDevice(major: UInt32, minor: UInt32)
    }

    public struct Entry: Sendable, Equatable {
        /// Relative to the archive's root, without a leading "/": "bin/busybox".
        public var path: String
        public var kind: Kind
        /// The permission bits, e.g. 0o755.
        public var permissions: UInt32
    }

    static let magic = "070701"
    static let trailerName = "TRAILER!!!"

    /// In order: a folder must come before what it holds.
    public private(set) var entries: [Entry] = []

    public init() {}

    public mutating func addDirectory(_ path: String, permissions: UInt32 = 0o755) {
        entries.append(Entry(path: path, kind: .directory, permissions: permissions))
    }

    public mutating func addFile(_ path: String, contents: Data, permissions: UInt32 = 0o644) {
        entries.append(Entry(path: path, kind: .file(contents), permissions: permissions))
    }

    public mutating func addSymbolicLink(_ path: String, to target: String) {
        entries.append(Entry(path: path, kind: .symbolicLink(target: target), permissions: 0o777))
    }

    public mutating func addCharacterDevice(_ path: String, major: UInt32, minor: UInt32, permissions: UInt32 = 0o600) {
        entries.append(Entry(path: path, kind: .characterDevice(major: major, minor: minor), permissions: permissions))
    }

    /// The archive's bytes, trailer included.
    public var data: Data {
        var output = Data()
        for (index, entry) in entries.enumerated() {
            // Inode numbers only need to differ: Linux joins regular files
            // with the same number and more than one link into hard links.
            Self.append(entry, inode: UInt32(index + 1), to: &output)
        }
        Self.append(Entry(path: Self.trailerName, kind: .file(Data()), permissions: 0), inode: 0, to: &output)
        return output
    }

    static func append(_ entry: Entry, inode: UInt32, to output: inout Data) {
        let (type, links, body, device): (UInt32, UInt32, Data, (UInt32, UInt32)) = switch entry.kind {
        case .directory: (0o040000, 2, Data(), (0, 0))
        case .file(let contents): (0o100000, 1, contents, (0, 0))
        case .symbolicLink(let target): (0o120000, 1, Data(target.utf8), (0, 0))
        case .characterDevice(let major, let minor): (0o020000, 1, Data(), (major, minor))
        }
        let isTrailer = entry.path == trailerName
        let name = Data(entry.path.utf8) + [0]
        let fields: [UInt32] = [
            inode,
            isTrailer ? 0 : type | entry.permissions,
            0, 0,                       // uid, gid: root
            links,
            0,                          // mtime
            UInt32(body.count),
            0, 0,                       // the device holding the file (none)
            device.0, device.1,         // what a device node stands for
            UInt32(name.count),
            0,                          // check: only used by the "070702" format
        ]
        output.append(contentsOf: magic.utf8)
        for field in fields {
            output.append(contentsOf: hex8(field).utf8)
        }
        output.append(name)
        padToFour(&output)
        output.append(body)
        padToFour(&output)
    }

    /// Eight uppercase hexadecimal digits, as newc's fields are written.
    static func hex8(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// The archive starts at 0, so a multiple of 4 from the start is what
    /// the format means by "padded to 4 bytes".
    private static func padToFour(_ output: inout Data) {
        let extra = (4 - output.count % 4) % 4
        output.append(contentsOf: [UInt8](repeating: 0, count: extra))
    }
}
