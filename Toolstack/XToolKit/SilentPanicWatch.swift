import Foundation

/// Notices a Bochs machine that died without a word: Bochs logged a panic
/// and then the serial console stayed quiet.
///
/// Why it is needed: Bochs turns a triple fault inside an SVM guest into the
/// SHUTDOWN exit only after logging a panic, so CPU panics must not end Bochs
/// (see `BochsConfig`). After a guest's triple fault the hypervisor carries on
/// and prints its crash report at once; after one of the hypervisor's own, the
/// CPU sits in its shutdown state and nothing more comes.
///
/// "Nothing more" is counted in bytes, not lines: the UART's last bytes,
/// written before the fault, may still arrive after the panic, and a line
/// may slip in between reading the console and reading the log.
struct SilentPanicWatch {
    static let marker = ">>PANIC<<"
    /// A 16550's 16-byte FIFO plus a long line: any more is a new report
    /// (a guest's crash report with its registers is several hundred).
    static let bytesInFlight = 256
    var quietSeconds: Double = 5

    /// When the last panic was seen with no sign of life since; nil: all well.
    private(set) var panicSeenAt: Date?
    private var consoleBytesAtPanic = 0

    /// Lines Bochs added to its log, and the console bytes read so far
    /// (read the console first).
    mutating func logLines(_ lines: [String], consoleBytes: Int, at now: Date) {
        if lines.contains(where: { $0.contains(Self.marker) }) {
            panicSeenAt = now
            consoleBytesAtPanic = consoleBytes
        }
    }

    /// The console bytes read so far: enough new ones mean the machine lives.
    mutating func console(bytes: Int) {
        if panicSeenAt != nil, bytes > consoleBytesAtPanic + Self.bytesInFlight {
            panicSeenAt = nil
        }
    }

    func machineIsDead(at now: Date) -> Bool {
        guard let panicSeenAt else { return false }
        return now.timeIntervalSince(panicSeenAt) > quietSeconds
    }
}
