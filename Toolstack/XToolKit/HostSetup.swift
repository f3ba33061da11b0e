import Foundation

/// Makes sure the host programs a machine needs are there, installing them
/// with apt-get when xtool runs as root on Debian, so a fresh machine (or CI)
/// needs no manual setup step.
public struct HostSetup: Sendable {
    public var reporter: Reporter
    /// Allow installing missing packages (root and apt-get are checked too).
    public var mayInstall: Bool

    public init(reporter: Reporter, mayInstall: Bool = true) {
        self.reporter = reporter
        self.mayInstall = mayInstall
    }

    /// Checks every requirement; installs what is missing if it can.
    /// - Throws: `XToolError.hostToolMissing` naming the first thing still missing.
    public func ensure(_ requirements: [HostRequirement]) throws {
        let missing = requirements.filter { $0.locate() == nil }
        guard !missing.isEmpty else { return }
        var packages: [String] = []
        for requirement in missing {
            for package in requirement.packages where !packages.contains(package) {
                packages.append(package)
            }
        }
        let names = missing.map(\.name).joined(separator: ", ")
        reporter.line("xtool: missing \(names) (Debian packages: \(packages.joined(separator: " ")))")

        guard let reason = installBlocker() else {
            try install(packages)
            if let still = requirements.first(where: { $0.locate() == nil }) {
                throw XToolError.hostToolMissing(name: still.name, packages: still.packages, reason: "still missing after apt-get install")
            }
            return
        }
        let first = missing[0]
        throw XToolError.hostToolMissing(name: first.name, packages: packages, reason: reason)
    }

    /// Why we cannot install packages ourselves, or nil if we can.
    private func installBlocker() -> String? {
        if !mayInstall { return "install them with apt-get" }
        if getuid() != 0 { return "not running as root; install them with sudo apt-get install" }
        if ExecutableLookup.find("apt-get") == nil { return "apt-get not found; install them with your package manager" }
        return nil
    }

    private func install(_ packages: [String]) throws {
        guard let aptGet = ExecutableLookup.find("apt-get") else { return }
        var environment = ProcessInfo.processInfo.environment
        environment["DEBIAN_FRONTEND"] = "noninteractive"
        reporter.line("xtool: installing \(packages.joined(separator: " ")) with apt-get")
        let updated = try CommandRunner.run(aptGet, ["update"], environment: environment)
        let installed = try CommandRunner.run(aptGet, ["install", "-y"] + packages, environment: environment)
        if updated != 0 || installed != 0 {
            throw XToolError.hostToolMissing(
                name: packages.joined(separator: " "), packages: packages,
                reason: "apt-get failed (update exit \(updated), install exit \(installed))"
            )
        }
    }
}
