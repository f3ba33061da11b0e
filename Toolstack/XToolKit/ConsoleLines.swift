/// A serial transcript cut into lines, for the readers of the hypervisor's
/// own lines (the exit status, domain ends) and of dom0's.
///
/// Only the start of a line tells who wrote it. The hypervisor prints
/// whole lines, each ending in "\r\n" (SerialPort), its own behind "(HV) "
/// and every guest's console line behind that guest's "(dN) ", with
/// control characters replaced (ConsoleIOHypercall). So a guest can put
/// "(HV) exit: success" into the middle of a line, never at its start:
/// a reader must take a line only if it starts with its marker.
///
/// A line ends at "\n" (or "\r\n"), and trailing "\r"s are dropped, as in
/// `LineSplitter`. A lone "\r" does not end a line: no line starts after it.
public enum ConsoleLines {
    /// Every line of the transcript, in order.
    public static func all(in transcript: String) -> [Substring] {
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        transcript.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { line in
            var line = line
            while line.last == "\r" { line = line.dropLast() }
            return line
        }
    }

    /// The lines that start with `marker`, in order.
    public static func starting(with marker: String, in transcript: String) -> [Substring] {
        all(in: transcript).filter { $0.hasPrefix(marker) }
    }
}
