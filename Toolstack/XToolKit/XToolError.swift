/// Everything that stops xtool before a machine could report a status.
/// All of these end `xtool` with exit code 5 (could not build or start).
public enum XToolError: Error, Equatable, CustomStringConvertible {
    /// No Package.swift in the folder or any folder above it.
    case projectRootNotFound(searchedFrom: String)
    /// A Swift toolchain tool (swiftc, clang, ld.lld) is not where we looked.
    case toolchainToolMissing(name: String, searched: [String])
    /// A host program or file is missing and could not be installed.
    case hostToolMissing(name: String, packages: [String], reason: String)
    /// A compile or link step failed; the tool already printed its own message.
    case stepFailed(step: String, exitCode: Int32)
    /// There is nothing to build (no sources, no linker script, ...).
    case missingInput(String)
    /// A boot module whose file is missing, a folder, or unreadable.
    case unusableModule(path: String, problem: ModuleFileProblem)
    /// The emulator could not be started at all.
    case couldNotStart(program: String, reason: String)
    /// The request asks for something its machine cannot do (e.g. --icount on Bochs).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .projectRootNotFound(let folder):
            return "no Package.swift in \(folder) or any folder above it; run xtool inside the project"
        case .toolchainToolMissing(let name, let searched):
            return "\(name) not found (looked in \(searched.joined(separator: ", "))); install the Swift 6.3 toolchain or put it in PATH"
        case .hostToolMissing(let name, let packages, let reason):
            return "\(name) is missing (Debian packages: \(packages.joined(separator: " "))): \(reason)"
        case .stepFailed(let step, let code):
            return "\(step) failed (exit \(code))"
        case .missingInput(let what):
            return what
        case .unusableModule(let path, let problem):
            return "boot module \(path) \(problem)"
        case .couldNotStart(let program, let reason):
            return "could not start \(program): \(reason)"
        case .invalidRequest(let why):
            return why
        }
    }

    public var exitCode: XToolExitCode { .couldNotBuildOrStart }
}
