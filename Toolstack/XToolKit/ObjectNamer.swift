import Foundation

/// Gives each object file a flat, readable, unique name: "Kernel/Arch/x86_64/boot.S"
/// becomes "Kernel_Arch_x86_64_boot.S.o".
struct ObjectNamer {
    private var used: Set<String> = []

    mutating func name(for relativePath: String) -> String {
        let base = relativePath.replacingOccurrences(of: "/", with: "_")
        var candidate = base + ".o"
        var counter = 2
        while used.contains(candidate) {
            candidate = "\(base).\(counter).o"
            counter += 1
        }
        used.insert(candidate)
        return candidate
    }
}
