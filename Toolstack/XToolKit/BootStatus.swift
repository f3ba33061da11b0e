/// How a boot ended, as decided from the serial transcript and the emulator's exit.
public enum BootStatus: String, Sendable, Equatable, CaseIterable {
    case success
    case failure
    case panic
    case timeout
    case noStatus = "no status"

    /// The process exit code `xtool boot` returns for this status.
    public var exitCode: XToolExitCode {
        switch self {
        case .success: .success
        case .failure: .failure
        case .panic: .panic
        case .timeout: .timeout
        case .noStatus: .noStatus
        }
    }
}
