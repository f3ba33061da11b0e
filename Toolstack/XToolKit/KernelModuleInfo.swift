import Foundation

/// What a Linux kernel module (.ko) says about itself in its .modinfo
/// section: NUL-separated `key=value` strings, among them `name=`,
/// `depends=` (modules it needs, comma-separated, what depmod writes to
/// modules.dep) and `softdep=` ("pre: a b post: c": modules to load around
/// it; they may be aliases such as crypto-crc32c).
struct KernelModuleInfo: Sendable, Equatable {
    var name: String
    var depends: [String]
    /// The `pre:` soft dependencies (names or aliases).
    var softPre: [String]

    /// Reads the strings of a module's bytes. The .modinfo strings are the
    /// only ones that start with these keys right after a NUL, so no ELF
    /// section walk is needed. nil if it has no name=.
    init?(_ data: Data) {
        var name: String?
        var depends: [String] = []
        var softPre: [String] = []
        for piece in data.split(separator: 0, omittingEmptySubsequences: true) {
            guard piece.count < 4096, let text = String(bytes: piece, encoding: .utf8) else { continue }
            if text.hasPrefix("name="), name == nil {
                name = String(text.dropFirst(5))
            } else if text.hasPrefix("depends=") {
                depends += text.dropFirst(8).split(separator: ",").map(String.init)
            } else if text.hasPrefix("softdep=") {
                var inPre = false
                for word in text.dropFirst(8).split(separator: " ") {
                    if word == "pre:" { inPre = true } else if word == "post:" { inPre = false } else if inPre { softPre.append(String(word)) }
                }
            }
        }
        guard let name, !name.isEmpty else { return nil }
        self.name = name
        self.depends = depends
        self.softPre = softPre
    }

    init(name: String, depends: [String] = [], softPre: [String] = []) {
        self.name = name
        self.depends = depends
        self.softPre = softPre
    }

    /// A module's name from its file name, as kmod makes it: without .ko
    /// (and a compression suffix), `-` read as `_`.
    static func name(ofFile file: String) -> String {
        var base = Substring(file.split(separator: "/").last ?? "")
        for suffix in [".xz", ".zst", ".gz"] where base.hasSuffix(suffix) { base = base.dropLast(suffix.count) }
        if base.hasSuffix(".ko") { base = base.dropLast(3) }
        return base.replacingOccurrences(of: "-", with: "_")
    }

    /// The order to insmod `wanted` and everything it needs: each module
    /// after its `depends` and its `pre:` soft dependencies (an alias is
    /// taken through `providers`; one with no provider is left out, as
    /// soft dependencies may be). `info` returns a module's information,
    /// nil for one that is not there.
    static func loadOrder(_ wanted: [String], providers: [String: String],
                         info: (String) throws -> KernelModuleInfo?) throws -> [String] {
        var order: [String] = []
        var visiting: Set<String> = []
        func visit(_ name: String, neededBy: String?) throws {
            let name = name.replacingOccurrences(of: "-", with: "_")
            if order.contains(name) { return }
            guard !visiting.contains(name) else {
                throw XToolError.missingInput("kernel modules depend on each other in a circle at \(name)")
            }
            guard let module = try info(name) else {
                throw XToolError.missingInput("the kernel package has no module \(name)" + (neededBy.map { " (\($0) needs it)" } ?? ""))
            }
            visiting.insert(name)
            for soft in module.softPre {
                if let provider = providers[soft] ?? providers[soft.replacingOccurrences(of: "-", with: "_")] {
                    try visit(provider, neededBy: name)
                }
            }
            for dependency in module.depends {
                try visit(dependency, neededBy: name)
            }
            visiting.remove(name)
            order.append(name)
        }
        for name in wanted {
            try visit(name, neededBy: nil)
        }
        return order
    }
}
