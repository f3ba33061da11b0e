import ArgumentParser

/// The toolstack's command line. The work happens in XToolKit; these types only parse.
@main
struct XTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xtool",
        abstract: "Build the hypervisor and its guests, and boot them under QEMU, Bochs or KVM.",
        subcommands: [BuildCommand.self, BootCommand.self, BenchCommand.self, FetchCommand.self, InitramfsCommand.self, RootfsCommand.self, LabCommand.self]
    )
}
