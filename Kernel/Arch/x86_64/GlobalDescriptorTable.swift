import Support

/// The hypervisor's GDT and its one TSS.
///
/// Long mode ignores segment bases and limits for code and data, but the
/// CPU still needs a 64-bit code segment, a data segment and a task register:
/// the TSS holds the stacks the CPU switches to on an exception (the IST).
/// VMX also requires a usable TR in the host state. Intel SDM Vol. 3A 3.4.5
/// (segment descriptors), 7.7 (the 64-bit TSS), 8.14.5 (IST).
enum GlobalDescriptorTable {
    static let codeSelector: UInt16 = 0x08
    static let dataSelector: UInt16 = 0x10
    static let taskStateSelector: UInt16 = 0x18

    /// IST slot 1: the double-fault stack, so that a hypervisor stack
    /// overflow still produces a readable report.
    static let doubleFaultStackIndex: UInt8 = 1
    private static let doubleFaultStackSize = 16 * 1024

    // null, code, data, TSS (a 16-byte system descriptor takes two slots)
    private static let entryCount = 5
    private static let taskStateSize = 104

    static func install() {
        let table = allocateZeroed(bytes: entryCount * 8, alignment: 16)
            .bindMemory(to: UInt64.self, capacity: entryCount)
        let taskState = allocateZeroed(bytes: taskStateSize, alignment: 16)
        let doubleFaultStack = allocateZeroed(bytes: doubleFaultStackSize, alignment: 16)

        // IST1 lives at offset 0x24 of the 64-bit TSS; the I/O map base at
        // 0x66 points past the end: no I/O permission bitmap.
        let stackTop = UInt64(UInt(bitPattern: doubleFaultStack)) + UInt64(doubleFaultStackSize)
        taskState.storeBytes(of: stackTop, toByteOffset: 0x24, as: UInt64.self)
        taskState.storeBytes(of: UInt16(taskStateSize), toByteOffset: 0x66, as: UInt16.self)

        table[0] = 0
        table[1] = 0x00AF_9A00_0000_FFFF   // present, ring 0, code, long mode (L)
        table[2] = 0x00CF_9200_0000_FFFF   // present, ring 0, data, writable
        let base = UInt64(UInt(bitPattern: taskState))
        let limit = UInt64(taskStateSize - 1)
        table[3] = (limit & 0xFFFF)
            | ((base & 0xFF_FFFF) << 16)
            | (0x89 << 40)                 // present, type 9: available 64-bit TSS
            | (((limit >> 16) & 0xF) << 48)
            | (((base >> 24) & 0xFF) << 56)
        table[4] = base >> 32

        load_gdt(UInt64(UInt(bitPattern: table)), UInt16(entryCount * 8 - 1),
                 codeSelector, dataSelector, taskStateSelector)
    }
}
