import Foundation

/// Where a running emulator's serial console is read from: a file it writes
/// (`FileTailer`) or a terminal it writes to (`PseudoTerminal`).
protocol ConsoleSource: AnyObject {
    /// Everything written since the last call (possibly nothing).
    func readNew() -> Data
}

extension FileTailer: ConsoleSource {}
