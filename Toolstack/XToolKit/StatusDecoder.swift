/// Turns what a machine left behind into a `BootStatus`.
///
/// The protocol (written by the hypervisor): its last meaningful serial line is
/// `(HV) exit: success`, `(HV) exit: failure ...` or `(HV) exit: panic ...`.
/// On QEMU it then writes v to the isa-debug-exit port (success 0, failure 1,
/// panic 2) and QEMU exits with (v << 1) | 1, so 1, 3 or 5.
/// The serial line wins because it is the richer signal and exists on every
/// machine; QEMU's code is the fallback when the line got lost.
///
/// Only a line that starts with the marker counts: a guest's console line
/// starts with "(dN) ", so a guest that prints "(HV) exit: success" cannot
/// end the boot (see `ConsoleLines`).
public enum StatusDecoder {
    /// How the hypervisor's verdict line starts (MachineExit.exit).
    public static let exitMarker = "(HV) exit: "

    /// Decide the status of one run.
    /// - Parameters:
    ///   - transcript: the serial console, as text.
    ///   - qemuExitCode: QEMU's exit code if the emulator was QEMU and it exited by itself.
    ///   - timedOut: the run was stopped because its time ran out.
    public static func decode(transcript: String, qemuExitCode: Int32?, timedOut: Bool) -> BootStatus {
        if let reported = reportedStatus(in: transcript) {
            return reported
        }
        if timedOut {
            return .timeout
        }
        // QEMU also exits 1 when it cannot start at all (bad option, unreadable
        // kernel), so its code counts only if the machine printed something.
        let machineRan = transcript.contains { !$0.isWhitespace }
        if machineRan, let code = qemuExitCode, let fromCode = status(fromQEMUExitCode: code) {
            return fromCode
        }
        return .noStatus
    }

    /// The verdict of the last line that starts with `(HV) exit: `, if its
    /// word is a known one.
    public static func reportedStatus(in transcript: String) -> BootStatus? {
        guard let line = ConsoleLines.starting(with: exitMarker, in: transcript).last else { return nil }
        let rest = line.dropFirst(exitMarker.count)
        let word = rest.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).first ?? ""
        switch word.lowercased() {
        case "success": return .success
        case "failure": return .failure
        case "panic": return .panic
        default: return nil
        }
    }

    /// What QEMU's exit code means under the isa-debug-exit convention.
    /// Exit 0 is not a verdict: QEMU exits 0 when the machine just stopped
    /// (e.g. a triple fault with -no-reboot).
    public static func status(fromQEMUExitCode code: Int32) -> BootStatus? {
        switch code {
        case 1: .success
        case 3: .failure
        case 5: .panic
        default: nil
        }
    }

    /// A warning when the serial line and QEMU's exit code disagree, else nil.
    public static func crossCheck(transcript: String, qemuExitCode: Int32?) -> String? {
        guard let reported = reportedStatus(in: transcript),
              let code = qemuExitCode,
              let fromCode = status(fromQEMUExitCode: code),
              fromCode != reported
        else { return nil }
        return "the serial console says \(reported.rawValue) but QEMU's exit code \(code) says \(fromCode.rawValue)"
    }
}
