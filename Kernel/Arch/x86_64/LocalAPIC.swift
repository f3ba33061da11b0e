import Support

/// This CPU's local APIC in xAPIC mode: 4 KiB of registers in memory
/// (Intel SDM Vol. 3A, "Advanced Programmable Interrupt Controller"; AMD APM
/// Vol. 2, "Local APIC"). The hypervisor uses it for one thing: its timer.
enum LocalAPIC {
    /// Register offsets in the APIC page.
    enum Register {
        static let taskPriority = 0x080
        static let endOfInterrupt = 0x0B0
        static let spuriousVector = 0x0F0
        static let timerVector = 0x320         // LVT timer entry
        static let timerInitialCount = 0x380
        static let timerCurrentCount = 0x390
        static let timerDivide = 0x3E0
    }

    /// Where the registers are (IA32_APIC_BASE; 0xFEE00000 unless moved).
    nonisolated(unsafe) private(set) static var base: UInt64 = 0xFEE0_0000

    private static let globalEnable: UInt64 = 1 << 11       // IA32_APIC_BASE
    private static let softwareEnable: UInt32 = 1 << 8      // spurious-vector register
    private static let cpuidHasAPIC: UInt32 = 1 << 9        // CPUID 1, EDX

    static func read(_ register: Int) -> UInt32 { mmio_read32(base + UInt64(register)) }
    static func write(_ register: Int, _ value: UInt32) { mmio_write32(base + UInt64(register), value) }

    /// Turns the APIC on for the hypervisor's use; false if there is none.
    ///   1. CPUID says there is an APIC; IA32_APIC_BASE says where, and its
    ///      global-enable bit must be (and stay) set;
    ///   2. its page is mapped uncached (below);
    ///   3. task priority 0 (every vector may be delivered), then the
    ///      software-enable bit with the spurious vector.
    /// The legacy PIC stays masked; LINT0/LINT1 are left as firmware set them.
    static func enable() -> Bool {
        guard cpuid(1, 0).edx & cpuidHasAPIC != 0 else { return false }
        let apicBase = msr_read(ModelSpecificRegister.apicBase)
        if apicBase & globalEnable == 0 {
            msr_write(ModelSpecificRegister.apicBase, apicBase | globalEnable)
        }
        base = apicBase & 0x000F_FFFF_FFFF_F000
        guard base < 1 << 32 else { return false }      // only 4 GiB are mapped
        mapUncached()
        set_local_apic_eoi_register(base + UInt64(Register.endOfInterrupt))
        write(Register.taskPriority, 0)
        write(Register.spuriousVector, softwareEnable | UInt32(InterruptVector.spurious))
        return true
    }

    /// Ends the interrupt in service, so the APIC can deliver the next one.
    /// A spurious interrupt is never in service and gets no EOI.
    static func endOfInterrupt(vector: UInt8) {
        guard vector != InterruptVector.spurious else { return }
        write(Register.endOfInterrupt, 0)
    }

    /// Boot.S maps the first 4 GiB write-back with 2 MiB pages, the APIC's
    /// registers included; registers must not be cached. Setting PCD and
    /// PWT in the page-directory entry that covers them selects PAT entry 3,
    /// UC in the power-on PAT (Intel SDM Vol. 3A, "Page Attribute Table");
    /// firmware's MTRRs usually make the range UC too, but nothing promises
    /// it. The walk: CR3 -> PML4 -> PDPT -> page directory, identity-mapped.
    private static func mapUncached() {
        let address: UInt64 = 0x000F_FFFF_FFFF_F000
        let pml4 = read_cr3() & address
        let pdpt = PhysicalMemory.identity.load64(pml4 + ((base >> 39) & 0x1FF) * 8) & address
        let directory = PhysicalMemory.identity.load64(pdpt + ((base >> 30) & 0x1FF) * 8) & address
        let entry = directory + ((base >> 21) & 0x1FF) * 8
        let writeThrough: UInt64 = 1 << 3, cacheDisable: UInt64 = 1 << 4
        PhysicalMemory.identity.store64(entry, PhysicalMemory.identity.load64(entry) | writeThrough | cacheDisable)
        invalidate_page(base)
    }
}
