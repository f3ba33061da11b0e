/// The I/O and MSR permission maps every VMCB points to (AMD APM Vol. 2,
/// 15.10 and 15.11). A set bit means "intercept".
///
/// - I/O: 12 KiB, one bit per port: all set, every port access exits and
///   Core's port policy decides. A domain with ports of its own (dom0's
///   disk controller) has its own map instead (IOPortBitmap).
/// - MSR: 8 KiB, two bits (read, write) per MSR in three ranges. All set,
///   except the MSRs that VMLOAD/VMSAVE switch per guest (FS/GS base,
///   KernelGSBase, the SYSCALL and SYSENTER MSRs), and TSC_AUX, which the
///   backend switches when the CPU changes vCPU (GuestSystemRegisterSwitch):
///   those the guest owns and may use freely, the same set as under VMX
///   (VMXMSRBitmap). EFER stays intercepted (see ExtendedFeatureEnable).
struct SVMPermissionMaps {
    let ioMap: UInt64
    let msrMap: UInt64

    private static let guestOwnedMSRs: [UInt32] = [
        0xC000_0100, 0xC000_0101, 0xC000_0102,          // FS base, GS base, KernelGSBase
        0xC000_0081, 0xC000_0082, 0xC000_0083, 0xC000_0084,  // STAR, LSTAR, CSTAR, SFMASK
        0x174, 0x175, 0x176,                            // SYSENTER CS, ESP, EIP
        0xC000_0103,                                    // TSC_AUX
    ]

    init() {
        let io = allocateZeroed(bytes: 3 * 4096, alignment: 4096)
        io.initializeMemory(as: UInt8.self, repeating: 0xFF, count: 3 * 4096)
        let msr = allocateZeroed(bytes: 2 * 4096, alignment: 4096)
        msr.initializeMemory(as: UInt8.self, repeating: 0xFF, count: 2 * 4096)
        for number in Self.guestOwnedMSRs {
            guard let bit = Self.bitOffset(of: number) else { continue }
            // Clear both the read bit and the write bit.
            let byte = msr.advanced(by: bit / 8)
            let mask = ~UInt8(0b11 << (bit % 8))
            byte.storeBytes(of: byte.load(as: UInt8.self) & mask, as: UInt8.self)
        }
        ioMap = physicalAddress(io)
        msrMap = physicalAddress(msr)
    }

    /// The bit of an MSR's read permission; its write bit follows it.
    /// MSRs 0-1FFFh at byte 0, C0000000h-C0001FFFh at byte 800h,
    /// C0010000h-C0011FFFh at byte 1000h.
    static func bitOffset(of msr: UInt32) -> Int? {
        switch msr {
        case 0...0x1FFF: Int(msr) * 2
        case 0xC000_0000...0xC000_1FFF: 0x800 * 8 + Int(msr - 0xC000_0000) * 2
        case 0xC001_0000...0xC001_1FFF: 0x1000 * 8 + Int(msr - 0xC001_0000) * 2
        default: nil
        }
    }
}
