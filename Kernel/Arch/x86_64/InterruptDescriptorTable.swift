import Support

/// The IDT: one 16-byte gate per vector (Intel SDM Vol. 3A 6.14.1). The 32
/// exception vectors go through ExceptionEntry.S to `exception_dispatch`;
/// the APIC timer and spurious vectors (InterruptVector) to the stubs in
/// InterruptEntry.S.
enum InterruptDescriptorTable {
    private static let vectorCount = 256
    private static let doubleFault = 8

    static func install() {
        let table = allocateZeroed(bytes: vectorCount * 16, alignment: 16)
            .bindMemory(to: UInt64.self, capacity: vectorCount * 2)
        for vector in 0..<32 {
            let stack: UInt8 = vector == doubleFault ? GlobalDescriptorTable.doubleFaultStackIndex : 0
            let gate = interruptGate(handler: exception_entry_address(CInt(vector)), istIndex: stack)
            table[vector * 2] = gate.low
            table[vector * 2 + 1] = gate.high
        }
        let interrupts = [(InterruptVector.timer, timer_interrupt_entry_address()),
                          (InterruptVector.spurious, spurious_interrupt_entry_address())]
        for (vector, handler) in interrupts {
            let gate = interruptGate(handler: handler, istIndex: 0)
            table[Int(vector) * 2] = gate.low
            table[Int(vector) * 2 + 1] = gate.high
        }
        load_idt(UInt64(UInt(bitPattern: table)), UInt16(vectorCount * 16 - 1))
    }

    /// A present, ring-0 interrupt gate (type 0xE: interrupts stay off in
    /// the handler) to `handler` in the hypervisor's code segment.
    private static func interruptGate(handler: UInt64, istIndex: UInt8) -> (low: UInt64, high: UInt64) {
        let low = (handler & 0xFFFF)
            | (UInt64(GlobalDescriptorTable.codeSelector) << 16)
            | (UInt64(istIndex & 0x7) << 32)
            | (0x8E << 40)
            | (((handler >> 16) & 0xFFFF) << 48)
        return (low, handler >> 32)
    }
}
