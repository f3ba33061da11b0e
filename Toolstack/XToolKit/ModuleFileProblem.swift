import Foundation

/// Why a file cannot be a boot module. Every module is checked before an
/// emulator starts, so the user reads xtool's message about the file, not
/// QEMU's ("error loading initrd") or GRUB's on a console nobody sees.
public enum ModuleFileProblem: Equatable, Sendable, CustomStringConvertible {
    case missing
    case folder
    /// A device, a FIFO or a socket: nothing a boot loader can load.
    case notRegularFile
    /// It exists but opening it for reading failed; the system's reason.
    case unreadable(String)

    /// What is wrong with `file`, or nil if it is a regular file we can
    /// read. Symbolic links are followed, as the emulator will follow them.
    public static func of(_ file: URL) -> ModuleFileProblem? {
        let path = file.path
        var information = stat()
        guard stat(path, &information) == 0 else {
            return errno == ENOENT || errno == ENOTDIR ? .missing : .unreadable(systemReason())
        }
        switch information.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .folder
        default: return .notRegularFile
        }
        // Opening is the only sure test: permissions, ACLs and mounts all
        // have a say, and the emulator will open it the same way.
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return .unreadable(systemReason()) }
        close(descriptor)
        return nil
    }

    public var description: String {
        switch self {
        case .missing: "does not exist"
        case .folder: "is a folder, not a file"
        case .notRegularFile: "is not a regular file"
        case .unreadable(let reason): "cannot be read (\(reason))"
        }
    }

    private static func systemReason() -> String {
        String(cString: strerror(errno))
    }
}
