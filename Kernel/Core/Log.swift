/// Whether the console prints at all (`console=none` turns it off; the exit
/// status line is printed regardless, because xtool depends on it).
enum Console {
    nonisolated(unsafe) static var enabled = true
}

/// The hypervisor's log: every line starts with "(HV) ", like Xen's "(XEN)",
/// so hypervisor output stands out from what guests print. Lines above the
/// `loglvl=` threshold are dropped.
enum Log {
    nonisolated(unsafe) static var threshold: LogLevel = .info

    static func error(_ message: String) { write(.error, message) }
    static func warning(_ message: String) { write(.warning, message) }
    static func info(_ message: String) { write(.info, message) }
    static func debug(_ message: String) { write(.debug, message) }

    static func write(_ level: LogLevel, _ message: String) {
        guard level <= threshold else { return }
        print("(HV) " + message)
    }
}
