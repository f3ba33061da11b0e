import Support

/// The two 8259 PICs the BIOS leaves programmed. The hypervisor takes no
/// device interrupts yet, so it masks every line: a stray timer tick would
/// otherwise turn into an endless stream of external-interrupt exits.
enum LegacyInterruptController {
    static func maskAll() {
        port_write_u8(0x21, 0xFF)     // master PIC data port: mask IRQ 0-7
        port_write_u8(0xA1, 0xFF)     // slave PIC data port: mask IRQ 8-15
    }
}
