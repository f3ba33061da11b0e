/// The Virtual Machine Control Block: one 4 KiB page per vCPU, read and
/// written with ordinary loads and stores (AMD APM Vol. 2, appendix B).
/// The control area (0x000-0x3FF) says what to intercept and reports exits;
/// the state-save area (from 0x400) holds the guest's registers.
struct VMCB {
    let base: UnsafeMutableRawPointer

    init(physicalAddress: UInt64) {
        base = UnsafeMutableRawPointer(bitPattern: UInt(physicalAddress))!
    }

    // Control area (Table B-1).
    static let interceptCRReads = 0x000          // UInt16
    static let interceptCRWrites = 0x002         // UInt16
    static let interceptExceptions = 0x008       // UInt32, bit n = vector n
    static let interceptMisc1 = 0x00C            // UInt32
    static let interceptMisc2 = 0x010            // UInt32
    static let ioPermissionMap = 0x040           // UInt64, physical address
    static let msrPermissionMap = 0x048          // UInt64, physical address
    static let guestASID = 0x058                 // UInt32
    static let tlbControl = 0x05C                // UInt8
    static let interruptControl = 0x060          // UInt32: V_TPR, V_IRQ, V_INTR_MASKING (bit 24), ...
    static let virtualInterruptVector = 0x064    // UInt8: V_INTR_VECTOR
    static let interruptShadow = 0x068           // UInt64, bit 0: in the shadow of STI or MOV SS
    static let exitCode = 0x070                  // UInt64
    static let exitInfo1 = 0x078                 // UInt64
    static let exitInfo2 = 0x080                 // UInt64
    static let exitInterruptInfo = 0x088         // UInt64
    static let nestedPagingEnable = 0x090        // UInt64, bit 0
    static let eventInjection = 0x0A8            // UInt64
    static let nestedCR3 = 0x0B0                 // UInt64
    static let cleanBits = 0x0C0                 // UInt32

    // State-save area (Table B-2), offsets from the VMCB start.
    static let es = 0x400, cs = 0x410, ss = 0x420, ds = 0x430, fs = 0x440, gs = 0x450
    static let gdtr = 0x460, ldtr = 0x470, idtr = 0x480, tr = 0x490
    static let cpl = 0x4CB                       // UInt8
    static let efer = 0x4D0
    static let cr4 = 0x548, cr3 = 0x550, cr0 = 0x558
    static let dr7 = 0x560, dr6 = 0x568
    static let rflags = 0x570, rip = 0x578, rsp = 0x5D8, rax = 0x5F8
    static let cr2 = 0x640
    static let guestPAT = 0x668

    func read64(_ offset: Int) -> UInt64 { base.load(fromByteOffset: offset, as: UInt64.self) }
    func write64(_ offset: Int, _ value: UInt64) { base.storeBytes(of: value, toByteOffset: offset, as: UInt64.self) }
    func read32(_ offset: Int) -> UInt32 { base.load(fromByteOffset: offset, as: UInt32.self) }
    func write32(_ offset: Int, _ value: UInt32) { base.storeBytes(of: value, toByteOffset: offset, as: UInt32.self) }
    func read16(_ offset: Int) -> UInt16 { base.load(fromByteOffset: offset, as: UInt16.self) }
    func write16(_ offset: Int, _ value: UInt16) { base.storeBytes(of: value, toByteOffset: offset, as: UInt16.self) }
    func read8(_ offset: Int) -> UInt8 { base.load(fromByteOffset: offset, as: UInt8.self) }
    func write8(_ offset: Int, _ value: UInt8) { base.storeBytes(of: value, toByteOffset: offset, as: UInt8.self) }

    /// A segment in the save area: selector, attributes (the descriptor's
    /// type/S/DPL/P in bits 7:0 and AVL/L/D/G in bits 11:8), limit, base.
    func writeSegment(_ offset: Int, selector: UInt16, attributes: UInt16, limit: UInt32, base: UInt64) {
        write16(offset, selector)
        write16(offset + 2, attributes)
        write32(offset + 4, limit)
        write64(offset + 8, base)
    }
}
