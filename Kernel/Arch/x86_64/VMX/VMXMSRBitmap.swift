/// The MSR bitmap: which RDMSR/WRMSR the guest may execute without a VM exit
/// (Intel SDM Vol. 3C, 24.6.9 and 25.1.3).
///
/// One 4 KiB page of four 1 KiB bitmaps, one bit per MSR:
///   0x000  reads  of MSRs 0000_0000h..0000_1FFFh
///   0x400  reads  of MSRs C000_0000h..C000_1FFFh
///   0x800  writes of MSRs 0000_0000h..0000_1FFFh
///   0xC00  writes of MSRs C000_0000h..C000_1FFFh
/// A set bit makes the access exit; MSRs outside both ranges always exit.
///
/// Every bit is set except for the MSRs whose real register *is* the
/// guest's while it runs, so the guest may use them directly:
/// - those the VMCS switches between guest and host on each entry and exit:
///   IA32_EFER (the "load/save IA32_EFER" controls: the guest sets LME
///   itself on its way to long mode), FS.base and GS.base (guest segment
///   state, SDM 24.4.1), IA32_SYSENTER_CS/ESP/EIP (always loaded and saved,
///   SDM 26.3.2.1, 27.3.1);
/// - those the hypervisor never uses, which the backend switches only when
///   the CPU changes vCPU (GuestSystemRegisterSwitch): STAR, LSTAR, CSTAR,
///   SFMASK, KERNEL_GS_BASE and TSC_AUX.
/// It is the same set a guest owns under SVM (SVMPermissionMaps), so guests
/// see one MSR set on both vendors. Everything else (APIC base, the x2APIC
/// registers 0x800-0x8FF of Core's VirtualAPIC, PAT, ...) exits to Core.
enum VMXMSRBitmap {
    static let passThrough: [UInt32] = [
        0xC000_0080,    // IA32_EFER
        0xC000_0100,    // IA32_FS_BASE
        0xC000_0101,    // IA32_GS_BASE
        0x0000_0174,    // IA32_SYSENTER_CS
        0x0000_0175,    // IA32_SYSENTER_ESP
        0x0000_0176,    // IA32_SYSENTER_EIP
        0xC000_0081,    // STAR
        0xC000_0082,    // LSTAR
        0xC000_0083,    // CSTAR
        0xC000_0084,    // SFMASK
        0xC000_0102,    // KERNEL_GS_BASE
        0xC000_0103,    // TSC_AUX
    ]

    /// A new bitmap page, shared by every vCPU. Its address is physical too
    /// (the hypervisor's memory is identity-mapped).
    static func make() -> UnsafeMutableRawPointer {
        let page = allocateZeroed(bytes: 4096, alignment: 4096)
        page.initializeMemory(as: UInt8.self, repeating: 0xFF, count: 4096)
        for msr in passThrough {
            allow(msr, in: page)
        }
        return page
    }

    private static func allow(_ msr: UInt32, in page: UnsafeMutableRawPointer) {
        let readOffset: Int
        switch msr {
        case 0x0000_0000...0x0000_1FFF: readOffset = 0x000
        case 0xC000_0000...0xC000_1FFF: readOffset = 0x400
        default: return   // outside both ranges: always exits
        }
        let index = Int(msr & 0x1FFF)
        let mask = ~(UInt8(1) << UInt8(index % 8))
        for offset in [readOffset, readOffset + 0x800] {   // the read bit, then the write bit
            let byte = page.load(fromByteOffset: offset + index / 8, as: UInt8.self)
            page.storeBytes(of: byte & mask, toByteOffset: offset + index / 8, as: UInt8.self)
        }
    }
}
