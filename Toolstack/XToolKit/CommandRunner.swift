import Foundation

/// Runs a tool with its output passed straight through to ours, so compiler
/// diagnostics reach the terminal exactly as the compiler wrote them.
public enum CommandRunner {
    /// - Returns: the exit status (128 + signal number if it was killed).
    /// - Parameter outputFile: if given, stdout and stderr go there instead of ours.
    public static func run(
        _ tool: URL, _ arguments: [String], in folder: URL? = nil,
        environment: [String: String]? = nil, outputFile: URL? = nil
    ) throws -> Int32 {
        let process = Process()
        if let outputFile {
            _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
            let handle = try FileHandle(forWritingTo: outputFile)
            process.standardOutput = handle
            process.standardError = handle
        }
        process.executableURL = tool
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        if let environment { process.environment = environment }
        do {
            try process.run()
        } catch {
            throw XToolError.couldNotStart(program: tool.path, reason: "\(error.localizedDescription)")
        }
        process.waitUntilExit()
        return exitStatus(of: process)
    }

    public static func exitStatus(of process: Process) -> Int32 {
        process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }
}
