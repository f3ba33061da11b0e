import GuestSupport

/// What the bench guest's ring 3 needs from its kernel, installed once
/// (UserModeEntry.S has the stubs that use it):
///
/// 1. A GDT of its own: Entry.S's six descriptors (the ring-3 ones in the
///    order SYSRET wants) plus a 64-bit TSS, whose RSP0 is the stack the
///    CPU switches to when int 0x80 or a page fault comes from ring 3
///    (Intel SDM Vol. 3A 7.7, 6.14.4). Entry.S's GDT is read-only and has
///    no TSS; LTR writes the busy bit, so this one is heap memory.
/// 2. SYSCALL: EFER.SCE, STAR (kernel CS 0x08, SYSRET base 0x18), LSTAR
///    (the entry), SFMASK (IF, TF, DF cleared on entry) (SDM Vol. 3A 5.8.8).
/// 3. IDT gates: 0x80 with DPL 3 (so ring 3 may raise it with INT), and
///    14, the page fault, to the window's handler.
/// 4. Page tables: the U/S bit on the identity map's entries that cover
///    the loop's code and the user stack (the 2 MiB pages they are in,
///    and the PML4 and PDPT entries above them), and a window at 512 GiB
///    (PML4 entry 1) of two 4 KiB pages, not present, user-writable, each
///    backed by a page of the guest's RAM, which the page-fault loop
///    writes to.
enum UserModeSetup {
    static let tssSelector: UInt16 = 0x30
    private static let userPage: UInt64 = 1 << 2
    private static let writable: UInt64 = 1 << 1
    private static let present: UInt64 = 1 << 0

    /// The window's page table (UserModeEntry.S's fault handler edits it).
    nonisolated(unsafe) private(set) static var windowPageTable: UInt64 = 0

    static func install() {
        loadDescriptorTables()
        installSystemCall()
        InterruptTable.setGate(0x80, handler: user_mode_int80_entry_address(), callableFromRing3: true)
        InterruptTable.setGate(14, handler: user_mode_page_fault_entry_address())
        mapUserPages()
    }

    private static func loadDescriptorTables() {
        // 8 descriptors of 8 bytes: six segments, then the TSS's 16 bytes.
        let gdt = UnsafeMutablePointer<UInt64>.allocate(capacity: 8)
        gdt[0] = 0
        gdt[1] = 0x00AF_9B00_0000_FFFF      // 0x08: 64-bit code, ring 0
        gdt[2] = 0x00CF_9300_0000_FFFF      // 0x10: data, ring 0
        gdt[3] = 0x00CF_FB00_0000_FFFF      // 0x18: 32-bit code, ring 3
        gdt[4] = 0x00CF_F300_0000_FFFF      // 0x20: data, ring 3
        gdt[5] = 0x00AF_FB00_0000_FFFF      // 0x28: 64-bit code, ring 3
        // The 104-byte 64-bit TSS (SDM Vol. 3A 8.7): RSP0 at byte 4, the
        // I/O map base at byte 102 pointing past the end (no I/O bitmap).
        let tssSize = 104
        let tss = UnsafeMutableRawPointer.allocate(byteCount: tssSize, alignment: 16)
        tss.initializeMemory(as: UInt8.self, repeating: 0, count: tssSize)
        tss.storeBytes(of: user_mode_interrupt_stack_top_address(), toByteOffset: 4, as: UInt64.self)
        tss.storeBytes(of: UInt16(tssSize), toByteOffset: 102, as: UInt16.self)
        let base = UInt64(UInt(bitPattern: tss))
        let limit = UInt64(tssSize - 1)
        // Type 9 (available 64-bit TSS), present, DPL 0: access byte 0x89.
        gdt[6] = (limit & 0xFFFF) | ((base & 0xFF_FFFF) << 16) | (0x89 << 40)
            | (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56)
        gdt[7] = base >> 32
        user_mode_load_descriptor_tables(UInt64(UInt(bitPattern: gdt)), UInt16(8 * 8 - 1), tssSelector)
    }

    private static func installSystemCall() {
        let efer: UInt32 = 0xC000_0080, star: UInt32 = 0xC000_0081
        let lstar: UInt32 = 0xC000_0082, sfmask: UInt32 = 0xC000_0084
        msr_write(efer, msr_read(efer) | 1)                 // SCE
        msr_write(star, (0x0018 << 48) | (0x0008 << 32))
        msr_write(lstar, user_mode_syscall_entry_address())
        msr_write(sfmask, 0x700)                           // TF, IF, DF
    }

    private static func mapUserPages() {
        let pml4 = table(boot_pml4_address())
        let pdpt = table(boot_pdpt_address())
        let directory = table(boot_page_directory_address())
        pml4[0] |= userPage
        pdpt[0] |= userPage
        for address in [user_mode_loops_address(), user_mode_stack_top_address() - 1] {
            directory[Int(address >> 21)] |= userPage
        }
        // The window: PML4[1] -> PDPT -> page directory -> page table.
        let windowPDPT = newTable(), windowDirectory = newTable(), windowTable = newTable()
        let link = userPage | writable | present
        pml4[1] = address(windowPDPT) | link
        windowPDPT[0] = address(windowDirectory) | link
        windowDirectory[0] = address(windowTable) | link
        for index in 0..<2 {
            windowTable[index] = address(newTable()) | userPage | writable   // not present
        }
        windowPageTable = address(windowTable)
        user_mode_flush_tlb()
    }

    private static func table(_ address: UInt64) -> UnsafeMutablePointer<UInt64> {
        UnsafeMutablePointer<UInt64>(bitPattern: UInt(address))!
    }

    /// A zeroed 4 KiB page from the heap (guest-physical = guest-virtual).
    private static func newTable() -> UnsafeMutablePointer<UInt64> {
        let page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        return page.initializeMemory(as: UInt64.self, repeating: 0, count: 512)
    }

    private static func address(_ table: UnsafeMutablePointer<UInt64>) -> UInt64 {
        UInt64(UInt(bitPattern: table))
    }
}
