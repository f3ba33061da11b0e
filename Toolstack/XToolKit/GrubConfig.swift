/// The grub.cfg of the Bochs boot ISO: boot the hypervisor at once, with its modules.
///
/// GRUB passes only the words after the file name as a multiboot command line,
/// while QEMU passes "<path> <args>". Repeating the path here gives the
/// hypervisor the same shape on both machines: the first word is the file.
public struct GrubConfig: Sendable, Equatable {
    /// One module: its file name inside /boot of the ISO, and its arguments.
    public struct Module: Sendable, Equatable {
        public var fileName: String
        public var arguments: String

        public init(fileName: String, arguments: String) {
            self.fileName = fileName
            self.arguments = arguments
        }
    }

    public var kernelFileName: String
    public var cmdline: String
    public var modules: [Module]

    public init(kernelFileName: String = "hypervisor.elf", cmdline: String, modules: [Module]) {
        self.kernelFileName = kernelFileName
        self.cmdline = cmdline
        self.modules = modules
    }

    public var text: String {
        let kernel = "/boot/\(kernelFileName)"
        var lines = [
            "set timeout=0",
            "set default=0",
            "menuentry \"hypervisor\" {",
            "  multiboot \(kernel) \(Self.words(kernel + " " + cmdline))",
        ]
        for module in modules {
            let path = "/boot/\(module.fileName)"
            lines.append("  module \(path) \(Self.words(path + " " + module.arguments))")
        }
        lines += ["  boot", "}"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// GRUB's script reads like a shell: split at spaces, and quote any word
    /// holding characters GRUB would interpret ($, ;, quotes, braces, ...).
    static func words(_ text: String) -> String {
        text.split(separator: " ").map { word in
            let safe = word.unicodeScalars.allSatisfy { scalar in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9": true
                case "_", "-", ".", "/", "=", ":", ",", "+", "@", "%": true
                default: false
                }
            }
            return safe ? String(word) : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
