import Support

/// The 16550 UART at COM1: the hypervisor's console. Everything `print`
/// writes ends up here, through the `putchar` symbol below.
enum SerialPort {
    static let com1: UInt16 = 0x3F8

    // Register offsets from the base port (PC16550D data sheet).
    private static let data: UInt16 = 0
    private static let interruptEnable: UInt16 = 1
    private static let fifoControl: UInt16 = 2
    private static let lineControl: UInt16 = 3
    private static let modemControl: UInt16 = 4
    private static let lineStatus: UInt16 = 5

    private static let dataReady: UInt8 = 1 << 0
    private static let transmitHoldingEmpty: UInt8 = 1 << 5
    private static let transmitterIdle: UInt8 = 1 << 6

    /// 115200 baud, 8 data bits, no parity, one stop bit, FIFOs on, no
    /// interrupts (the console is polled).
    static func initialize() {
        port_write_u8(com1 + interruptEnable, 0x00)
        port_write_u8(com1 + lineControl, 0x80)      // DLAB: the next two are the divisor
        port_write_u8(com1 + data, 0x01)             // divisor 1 = 115200 baud
        port_write_u8(com1 + interruptEnable, 0x00)
        port_write_u8(com1 + lineControl, 0x03)      // 8N1, DLAB off
        port_write_u8(com1 + fifoControl, 0xC7)      // enable and clear FIFOs
        port_write_u8(com1 + modemControl, 0x03)     // DTR, RTS
    }

    static func write(_ byte: UInt8) {
        if byte == UInt8(ascii: "\n") { writeRaw(UInt8(ascii: "\r")) }
        writeRaw(byte)
    }

    private static func writeRaw(_ byte: UInt8) {
        while port_read_u8(com1 + lineStatus) & transmitHoldingEmpty == 0 { cpu_pause() }
        port_write_u8(com1 + data, byte)
    }

    /// A received byte, if one is waiting (LSR bit 0). Polled: the UART's
    /// interrupts stay off.
    static func receive() -> UInt8? {
        guard port_read_u8(com1 + lineStatus) & dataReady != 0 else { return nil }
        return port_read_u8(com1 + data)
    }

    /// Waits until the last byte has left the shift register, so that
    /// nothing is lost when the emulator is told to stop right after.
    static func drain() {
        while port_read_u8(com1 + lineStatus) & transmitterIdle == 0 { cpu_pause() }
    }
}

/// Embedded Swift's `print` writes through `putchar`.
@_cdecl("putchar")
func putchar(_ character: CInt) -> CInt {
    if Console.enabled { SerialPort.write(UInt8(truncatingIfNeeded: character)) }
    return character
}
