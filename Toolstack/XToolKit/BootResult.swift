import Foundation

/// How a boot ended: the output of `BootRunner.run`.
public struct BootResult: Sendable {
    /// The machine actually used (never `.auto`).
    public var machine: Machine
    public var status: BootStatus
    /// The serial console, lines joined with "\n".
    public var transcript: String
    /// The emulator's own exit code, nil if xtool had to stop it.
    public var emulatorExitCode: Int32?
    public var seconds: Double
    /// Things worth a look, e.g. the serial line and QEMU's code disagreeing.
    public var warnings: [String]
    /// Configured domains (`--domain`) that never ran; see `requireDomainsBuilt`.
    public var unbuiltDomains: [UnbuiltDomain] = []

    /// What `xtool boot` exits with.
    public var exitCode: Int32 { status.exitCode.rawValue }

    /// The hypervisor's `(HV) domain-end` reports, in order.
    public var domainEnds: [DomainEnd] { DomainEnd.all(in: transcript) }

    /// The table `xtool boot` prints after its summary line.
    public var domainTableLines: [String] { DomainEndTable.lines(domainEnds, unbuilt: unbuiltDomains) }

    /// e.g. "xtool: qemu: success (exit 0) in 0.4 s"
    public var summaryLine: String {
        "xtool: \(machine.rawValue): \(status.rawValue) (exit \(exitCode)) in \(String(format: "%.1f", seconds)) s"
    }
}
