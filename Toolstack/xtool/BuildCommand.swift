import ArgumentParser
import XToolKit

/// `xtool build`
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build build/hypervisor.elf and build/guests/*.elf (only what changed).",
        discussion: "Exits 0 on success and 5 when a compile or link step fails."
    )

    func run() throws {
        try ExitCodes.translatingErrors {
            _ = try ImageBuilder.build(root: try ProjectRoot.findFromCurrentDirectory())
        }
    }
}
