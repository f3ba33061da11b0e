import Support

/// The host-state area: what a VM exit loads, so the hypervisor continues
/// where it left off (Intel SDM Vol. 3C, 24.5; loading: 27.5; checks: 26.2.2
/// and 26.2.3). It is the hypervisor's state *now*, read from the CPU, not
/// from constants, so it stays right if the GDT or IDT ever move.
///
/// Steps:
///   1. CR0, CR3, CR4 as they are (CR4.VMXE is set: we are in VMX operation);
///   2. selectors: CS = the 64-bit code segment, SS/DS/ES/FS/GS = the data
///      segment, TR = the TSS (RPL and TI must be 0; CS and TR not null);
///   3. bases: FS and GS 0, and the GDTR, IDTR and TR bases from SGDT, SIDT
///      and the TSS descriptor in the GDT (a VM exit sets the GDTR and IDTR
///      limits to FFFFh and the TR limit to 67h, SDM 27.5.2: our TSS is
///      exactly 68h bytes);
///   4. the SYSENTER MSRs and EFER (the "load IA32_EFER" exit control);
///   5. RSP and RIP: written by VMXEntry.S right before each entry.
enum VMXHostState {
    static func write(_ write: inout VMCSWriter) {
        // 1.
        write(.hostCR0, read_cr0())
        write(.hostCR3, read_cr3())
        write(.hostCR4, read_cr4())

        // 2.
        let data = GlobalDescriptorTable.dataSelector
        write(.hostCSSelector, GlobalDescriptorTable.codeSelector)
        write(.hostSSSelector, data)
        write(.hostDSSelector, data)
        write(.hostESSelector, data)
        write(.hostFSSelector, data)
        write(.hostGSSelector, data)
        let taskRegister = read_task_register()
        write(.hostTRSelector, taskRegister)

        // 3.
        let gdtr = read_gdtr()
        write(.hostFSBase, UInt64(0))
        write(.hostGSBase, UInt64(0))
        write(.hostGDTRBase, gdtr.base)
        write(.hostIDTRBase, read_idtr().base)
        write(.hostTRBase, systemDescriptorBase(gdtBase: gdtr.base, selector: taskRegister))

        // 4.
        write(.hostSysenterCS, UInt32(truncatingIfNeeded: msr_read(VMXModelSpecificRegister.sysenterCS)))
        write(.hostSysenterESP, msr_read(VMXModelSpecificRegister.sysenterESP))
        write(.hostSysenterEIP, msr_read(VMXModelSpecificRegister.sysenterEIP))
        write(.hostEFER, msr_read(ModelSpecificRegister.extendedFeatureEnable))
    }

    /// The base address in a 16-byte long-mode system descriptor (TSS or LDT,
    /// SDM Vol. 3A 8.2.3, figure 8-4): bits 15:0 at bytes 2-3, 23:16 at byte
    /// 4, 31:24 at byte 7, 63:32 in the second eight bytes.
    static func systemDescriptorBase(gdtBase: UInt64, selector: UInt16) -> UInt64 {
        let descriptor = UnsafeRawPointer(bitPattern: UInt(gdtBase) + UInt(selector & ~7))!
        let low = descriptor.loadUnaligned(as: UInt64.self)
        let high = descriptor.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        return ((low >> 16) & 0xFF_FFFF) | (((low >> 56) & 0xFF) << 24) | ((high & 0xFFFF_FFFF) << 32)
    }
}
