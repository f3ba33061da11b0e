import Foundation

/// A multiboot module: a file the boot loader places in memory for the
/// hypervisor, with an argument string.
///
/// On both machines the module's multiboot command line is "<path> <arguments>":
/// QEMU passes it that way by itself, and xtool's grub.cfg repeats the path so
/// GRUB does the same. The hypervisor can take the first word as the name.
public struct BootModule: Sendable, Equatable {
    public var file: URL
    public var arguments: String

    public init(file: URL, arguments: String = "") {
        self.file = file
        self.arguments = arguments
    }

    /// Parses `--module "path args"`: the first word is the file, the rest its
    /// arguments. A relative path is taken from `folder`.
    public init(parsing text: String, relativeTo folder: URL) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let pathEnd = trimmed.firstIndex(of: " ") ?? trimmed.endIndex
        let path = String(trimmed[..<pathEnd])
        let rest = trimmed[pathEnd...].trimmingCharacters(in: .whitespaces)
        let file = path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
        self.init(file: file.standardizedFileURL, arguments: rest)
    }
}
