/// The exit codes of `xtool`, one per way a run can end.
///
/// Scripts and CI branch on these, so the numbers are part of xtool's interface:
/// change them only together with the help text below.
public enum XToolExitCode: Int32, CaseIterable, Sendable {
    case success = 0
    case failure = 1
    case panic = 2
    case timeout = 3
    case noStatus = 4
    case couldNotBuildOrStart = 5

    /// ArgumentParser's own code for a bad command line; listed for completeness.
    public static let usageError: Int32 = 64

    /// One line per code, for `xtool boot --help`.
    public static var helpText: String {
        """
        Exit status:
          0   success: the hypervisor reported success
          1   failure: the hypervisor reported failure, or a configured domain (--domain) was not built
          2   panic: the hypervisor reported a panic
          3   timeout: the machine did not finish in time (the emulator is stopped)
          4   no status: the machine stopped without a status (e.g. a triple fault)
          5   could not build or start (compile or link error, missing emulator, unusable boot module)
          64  usage error (bad command line)
        """
    }
}
