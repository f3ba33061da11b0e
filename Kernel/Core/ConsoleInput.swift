/// What is typed on the machine's console (the hypervisor's serial port),
/// kept for dom0, as in Xen: the hypervisor owns the UART, and dom0 reads
/// the input with console_io(CONSOLEIO_read), told by VIRQ_CONSOLE that
/// there is some. The scheduler polls the UART once per round
/// (Scheduler.runOnce); `receive` is the hardware's side (SerialPort).
///
/// Bounded: when dom0 does not read, input beyond `capacity` bytes is
/// dropped and counted, never queued without limit.
final class ConsoleInput {
    static let capacity = 4096

    private var receive: () -> UInt8?
    private var bytes: [UInt8] = []
    /// Bytes dropped because the buffer was full.
    private(set) var dropped: UInt64 = 0
    /// Whether there is a device to read from at all.
    private(set) var isConnected: Bool

    init() {
        receive = { nil }
        isConnected = false
    }

    /// The device's receive function: a byte if one is waiting.
    func connect(_ receive: @escaping () -> UInt8?) {
        self.receive = receive
        isConnected = true
    }

    /// Takes every byte the device has; true if any arrived.
    func poll() -> Bool {
        var arrived = false
        while let byte = receive() {
            arrived = true
            if bytes.count < Self.capacity { bytes.append(byte) } else { dropped &+= 1 }
        }
        return arrived
    }

    /// Up to `count` bytes, oldest first; they are gone from the buffer.
    func take(_ count: Int) -> [UInt8] {
        let taken = Array(bytes.prefix(max(0, count)))
        bytes.removeFirst(taken.count)
        return taken
    }

    var pending: Int { bytes.count }
}
