import Support

/// How the machine ends, and how the outside world (xtool) learns why.
///
/// The protocol: the last console line is `(HV) exit: <status>`; then the
/// hypervisor writes the status to QEMU's isa-debug-exit port (QEMU exits
/// with `status << 1 | 1`) and the word "Shutdown" to Bochs' shutdown port.
/// Whichever emulator runs, one of the two ends it; on real hardware the
/// CPU halts.
enum MachineExit {
    enum Status: UInt8 {
        case success = 0
        case failure = 1
        case panic = 2

        var name: StaticString {
            switch self {
            case .success: "success"
            case .failure: "failure"
            case .panic: "panic"
            }
        }
    }

    private static let qemuDebugExitPort: UInt16 = 0xF4
    private static let bochsShutdownPort: UInt16 = 0x8900

    /// Hooks run before the machine ends (leaving VMX or SVM cleanly).
    nonisolated(unsafe) static var beforeExit: (() -> Void)? = nil

    static func exit(_ status: Status, reason: String = "") -> Never {
        if let hook = beforeExit {
            beforeExit = nil          // a fault inside the hook must not loop
            hook()
        }
        Console.enabled = true        // the status line is the protocol: always print it
        if reason.isEmpty {
            print("(HV) exit: \(status.name)")
        } else {
            print("(HV) exit: \(status.name) (\(reason))")
        }
        SerialPort.drain()
        port_write_u8(qemuDebugExitPort, status.rawValue)
        for byte in "Shutdown".utf8 { port_write_u8(bochsShutdownPort, byte) }
        haltForever()
    }

    static func haltForever() -> Never {
        while true {
            interrupts_disable()
            cpu_halt()
        }
    }
}
