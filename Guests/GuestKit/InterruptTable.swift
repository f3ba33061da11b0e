import GuestSupport

/// The guest's IDT: the 32 exception vectors, each an interrupt gate to its
/// stub in GuestExceptionEntry.S (Intel SDM Vol. 3A 6.14.1). Guests take no
/// interrupts yet, so the other 224 vectors are left out (the limit stops
/// at 32 gates).
enum InterruptTable {
    private static let exceptionCount = 32
    private static let gateSize = 16
    /// Entry.S's 64-bit code segment.
    private static let codeSelector: UInt64 = 0x08

    static func install() {
        let table = UnsafeMutablePointer<UInt64>.allocate(capacity: exceptionCount * 2)
        for vector in 0..<exceptionCount {
            let handler = exception_entry_address(CInt(vector))
            table[vector * 2] = gateLow(handler: handler)
            table[vector * 2 + 1] = handler >> 32
        }
        idt_load(UInt64(UInt(bitPattern: table)), UInt16(exceptionCount * gateSize - 1))
    }

    /// The low 8 bytes of a present, ring-0, 64-bit interrupt gate (type
    /// 0xE: interrupts stay off in the handler); the high 8 bytes hold
    /// bits 32-63 of the handler's address.
    private static func gateLow(handler: UInt64) -> UInt64 {
        (handler & 0xFFFF)
            | (codeSelector << 16)
            | (0x8E << 40)
            | (((handler >> 16) & 0xFFFF) << 48)
    }
}
