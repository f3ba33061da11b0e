import ArgumentParser
import XToolKit

/// Maps errors to xtool's exit codes (see XToolExitCode). Anything that is not
/// a boot verdict means we could not build or start: exit 5, never
/// ArgumentParser's default 1, which would read as "the hypervisor failed".
enum ExitCodes {
    static func translatingErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let verdict as ExitCode {
            throw verdict
        } catch {
            let code = XToolExitCode.couldNotBuildOrStart.rawValue
            if let configErrors = error as? DomainConfigErrors {
                // FILE:LINE: message, one per line, as editors and compilers show them.
                Reporter.standardError.line(configErrors.description)
            } else {
                Reporter.standardError.line("xtool: error: \(error)")
            }
            Reporter.standardOutput.line("xtool: could not build or start (exit \(code))")
            throw ExitCode(code)
        }
    }
}
