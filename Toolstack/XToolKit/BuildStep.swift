import Foundation

/// One compile or link: a tool run with arguments, from inputs to one output.
/// Arguments use paths relative to the project root; the tool runs there.
public struct BuildStep: Sendable, Equatable {
    /// Short text printed when the step runs, e.g. "compile Kernel/Arch/x86_64/boot.S".
    public var summary: String
    public var tool: URL
    public var arguments: [String]
    /// Every file whose change must re-run the step (sources, headers, linker script).
    public var inputs: [URL]
    public var output: URL

    public init(summary: String, tool: URL, arguments: [String], inputs: [URL], output: URL) {
        self.summary = summary
        self.tool = tool
        self.arguments = arguments
        self.inputs = inputs
        self.output = output
    }

    /// The exact command, as recorded beside the output.
    public var commandLine: String {
        ShellQuoting.join([tool.path] + arguments)
    }

    /// Where the command line of the last successful run is kept.
    public var recordFile: URL {
        output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + ".cmd")
    }
}
