/// The guest-state area for the PVH start state (Intel SDM Vol. 3C, 24.4;
/// checked at VM entry by 26.3.1). Xen's PVH boot ABI: 32-bit protected mode,
/// paging off, CS a flat 32-bit code segment, DS/ES/SS flat 32-bit data
/// segments, a 32-bit TSS, interrupts off, EBX = hvm_start_info (loaded from
/// GuestRegisters by the entry stub), everything else zero.
///
/// Steps:
///   1. control registers: CR0 = PE | ET as the guest sees it (the real CR0
///      also has the VMX-fixed bits such as NE, see VMXControlRegisters),
///      CR4 = 0 as seen (real: VMXE), CR3 = 0; DR7 = 400h (its reset value);
///   2. RIP = the entry point, RSP = 0, RFLAGS = 2 (bit 1 is always 1, IF = 0);
///   3. segments: selector, base, limit, access rights for CS, SS, DS, ES,
///      FS, GS, TR and LDTR; GDTR and IDTR empty (the guest loads its own);
///   4. MSRs the VMCS carries: EFER = 0 (the guest turns on long mode itself),
///      DEBUGCTL and SYSENTER = 0;
///   5. non-register state: active, no interrupt shadow, no pending debug
///      exceptions, no shadow VMCS (link pointer all ones).
enum VMXGuestState {
    /// Segment access rights in the VMCS format (SDM 24.4.1, table 24-2):
    /// bits 3:0 type, 4 S (code/data), 6:5 DPL, 7 present, 12 AVL, 13 L
    /// (64-bit code), 14 D/B (32-bit), 15 G (limit in 4 KiB units), 16 unusable.
    enum AccessRights {
        /// Execute/read code, accessed; present, DPL 0, 32-bit, 4 KiB granular.
        static let flatCode32: UInt32 = 0xC09B
        /// Read/write data, accessed; present, DPL 0, 32-bit, 4 KiB granular.
        static let flatData32: UInt32 = 0xC093
        /// A busy 32-bit TSS (type 11), present. VM entry insists on a usable
        /// TR of busy TSS type even for guests that never switch tasks.
        static let busyTSS32: UInt32 = 0x008B
        /// Bit 16: the segment register is unusable (loaded with a null selector).
        static let unusable: UInt32 = 1 << 16

        static let longModeBit: UInt32 = 1 << 13
        static let defaultSizeBit: UInt32 = 1 << 14
        static func privilegeLevel(_ rights: UInt32) -> UInt8 { UInt8((rights >> 5) & 3) }
    }

    /// The PVH ABI does not fix the selector values (the guest loads its own
    /// GDT before it reloads a segment); these match the hypervisor's GDT.
    static let codeSelector: UInt16 = 0x08
    static let dataSelector: UInt16 = 0x10

    static func write(_ write: inout VMCSWriter, entryPoint: UInt32, controlRegisters: VMXControlRegisters) {
        // 1.
        let cr0 = VMXControlRegisters.cr0ProtectionEnable | VMXControlRegisters.cr0ExtensionType
        write(.guestCR0, controlRegisters.realCR0(guestView: cr0))
        write(.cr0ReadShadow, cr0)
        write(.cr0GuestHostMask, controlRegisters.cr0Mask)
        write(.guestCR4, controlRegisters.realCR4(guestView: 0))
        write(.cr4ReadShadow, UInt64(0))
        write(.cr4GuestHostMask, controlRegisters.cr4Mask)
        write(.guestCR3, UInt64(0))
        write(.guestDR7, UInt64(0x400))

        // 2.
        write(.guestRIP, UInt64(entryPoint))
        write(.guestRSP, UInt64(0))
        write(.guestRFLAGS, UInt64(0x2))

        // 3.
        let flat: UInt32 = 0xFFFF_FFFF
        segment(&write, .guestCSSelector, .guestCSBase, .guestCSLimit, .guestCSAccessRights,
                codeSelector, flat, AccessRights.flatCode32)
        for (selector, base, limit, rights) in [
            (VMCSField.guestSSSelector, VMCSField.guestSSBase, VMCSField.guestSSLimit, VMCSField.guestSSAccessRights),
            (.guestDSSelector, .guestDSBase, .guestDSLimit, .guestDSAccessRights),
            (.guestESSelector, .guestESBase, .guestESLimit, .guestESAccessRights),
            (.guestFSSelector, .guestFSBase, .guestFSLimit, .guestFSAccessRights),
            (.guestGSSelector, .guestGSBase, .guestGSLimit, .guestGSAccessRights),
        ] {
            segment(&write, selector, base, limit, rights, dataSelector, flat, AccessRights.flatData32)
        }
        // TR: selector 0 is allowed (only TI must be 0); 68h bytes at 0.
        segment(&write, .guestTRSelector, .guestTRBase, .guestTRLimit, .guestTRAccessRights,
                0, 0x67, AccessRights.busyTSS32)
        segment(&write, .guestLDTRSelector, .guestLDTRBase, .guestLDTRLimit, .guestLDTRAccessRights,
                0, 0, AccessRights.unusable)
        write(.guestGDTRBase, UInt64(0))
        write(.guestGDTRLimit, UInt32(0))
        write(.guestIDTRBase, UInt64(0))
        write(.guestIDTRLimit, UInt32(0))

        // 4.
        write(.guestEFER, UInt64(0))
        write(.guestDebugControl, UInt64(0))
        write(.guestSysenterCS, UInt32(0))
        write(.guestSysenterESP, UInt64(0))
        write(.guestSysenterEIP, UInt64(0))

        // 5.
        write(.guestActivityState, UInt32(0))            // 0 = active (SDM 24.4.2)
        write(.guestInterruptibility, UInt32(0))
        write(.guestPendingDebugExceptions, UInt64(0))
        write(.vmcsLinkPointer, UInt64.max)              // SDM 26.3.1.5: no shadow VMCS
    }

    private static func segment(
        _ write: inout VMCSWriter, _ selectorField: VMCSField, _ baseField: VMCSField,
        _ limitField: VMCSField, _ rightsField: VMCSField,
        _ selector: UInt16, _ limit: UInt32, _ rights: UInt32
    ) {
        write(selectorField, selector)
        write(baseField, UInt64(0))
        write(limitField, limit)
        write(rightsField, rights)
    }
}
