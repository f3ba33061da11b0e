import Foundation

/// The Swift toolchain's compilers and linker, used for the bare-metal images.
///
/// We want the clang and ld.lld that ship *with* swiftc (they match its LLVM),
/// so all three are looked up next to the `swift` in PATH, not each in PATH.
public struct Toolchain: Sendable, Equatable {
    public var swiftc: URL
    public var clang: URL
    public var lld: URL

    public static let fallbackFolder = "/opt/swift/usr/bin"

    public init(swiftc: URL, clang: URL, lld: URL) {
        self.swiftc = swiftc
        self.clang = clang
        self.lld = lld
    }

    /// Find the toolchain: the folder of `swift` in PATH (symlinks resolved),
    /// else /opt/swift/usr/bin.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        fallbackFolder: String = Toolchain.fallbackFolder
    ) throws -> Toolchain {
        var folders: [String] = []
        if let swift = ExecutableLookup.find("swift", environment: environment) {
            folders.append(swift.resolvingSymlinksInPath().deletingLastPathComponent().path)
        }
        folders.append(fallbackFolder)
        func tool(_ name: String) throws -> URL {
            for folder in folders {
                let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
            }
            throw XToolError.toolchainToolMissing(name: name, searched: folders)
        }
        return Toolchain(swiftc: try tool("swiftc"), clang: try tool("clang"), lld: try tool("ld.lld"))
    }
}
