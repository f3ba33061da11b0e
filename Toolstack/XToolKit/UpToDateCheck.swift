import Foundation

/// Decides whether a build step can be skipped.
///
/// A step is up to date when its output exists, is not older than any input,
/// and was made by exactly the same command line (recorded in `<output>.cmd`).
/// The command-line record catches what timestamps cannot: a changed flag, or
/// a source file added to or removed from a multi-file step.
public enum UpToDateCheck {
    public static func isUpToDate(_ step: BuildStep) -> Bool {
        isUpToDate(output: step.output, inputs: step.inputs, commandLine: step.commandLine, recordFile: step.recordFile)
    }

    public static func isUpToDate(output: URL, inputs: [URL], commandLine: String, recordFile: URL) -> Bool {
        guard let outputTime = modificationDate(output) else { return false }
        guard let recorded = try? String(contentsOf: recordFile, encoding: .utf8), recorded == commandLine + "\n" else {
            return false
        }
        for input in inputs {
            // A missing input: let the tool run and say what is wrong.
            guard let inputTime = modificationDate(input) else { return false }
            if inputTime > outputTime { return false }
        }
        return true
    }

    /// Remember the command that made `output`; call only after it succeeded.
    /// Also stamps the output with the current time: swiftc leaves an object
    /// file untouched when its bytes did not change, which would otherwise make
    /// the step look stale forever after its sources were merely touched.
    public static func record(_ step: BuildStep) throws {
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: step.output.path)
        try (step.commandLine + "\n").write(to: step.recordFile, atomically: true, encoding: .utf8)
    }

    /// Forget the record before running a step, so a failed run is never taken as up to date.
    public static func forget(_ step: BuildStep) {
        try? FileManager.default.removeItem(at: step.recordFile)
    }

    public static func modificationDate(_ file: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
    }
}
