import Foundation

/// A program or file a machine needs on the host, and the Debian packages that provide it.
public struct HostRequirement: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A program found through PATH.
        case program(String)
        /// A file at a fixed path (a BIOS image, a plugin).
        case file(String)
    }

    public var kind: Kind
    public var packages: [String]

    public init(_ kind: Kind, packages: [String]) {
        self.kind = kind
        self.packages = packages
    }

    public var name: String {
        switch kind {
        case .program(let name): name
        case .file(let path): path
        }
    }

    /// Where it is on this host, or nil.
    public func locate() -> URL? {
        switch kind {
        case .program(let name):
            return ExecutableLookup.find(name)
        case .file(let path):
            return FileManager.default.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
    }

    // MARK: what each machine needs

    public static let qemu = [
        HostRequirement(.program("qemu-system-x86_64"), packages: ["qemu-system-x86"]),
    ]

    public static let bochs = [
        HostRequirement(.program("bochs"), packages: ["bochs"]),
        HostRequirement(.file(BochsConfig.biosImage), packages: ["bochsbios"]),
        HostRequirement(.file(BochsConfig.vgaBiosImage), packages: ["vgabios"]),
        HostRequirement(.file("/usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_sdl2_gui.so"), packages: ["bochs-sdl"]),
        HostRequirement(.program("grub-mkrescue"), packages: ["grub-common"]),
        HostRequirement(.file("/usr/lib/grub/i386-pc/multiboot.mod"), packages: ["grub-pc-bin"]),
        HostRequirement(.program("xorriso"), packages: ["xorriso"]),
        HostRequirement(.program("mformat"), packages: ["mtools"]),
    ]

    /// `xtool rootfs`: mke2fs -d builds an ext4 image from a folder.
    public static let rootFileSystem = [
        HostRequirement(.program("mke2fs"), packages: ["e2fsprogs"]),
    ]
}
