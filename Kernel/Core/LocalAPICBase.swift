/// IA32_APIC_BASE (MSR 0x1B): where the xAPIC page is, and which mode the
/// local APIC is in (Intel SDM Vol. 3A, 10.4.4, figure 10-5, and 10.12.1,
/// table 10-5).
///
/// A guest's reads 0xFEE00000 | EN | EXTD, with BSP on vCPU 0: enabled, in
/// x2APIC mode (VirtualAPIC says why from the start). A write of that same
/// value is accepted and changes nothing. Every other write is #GP:
/// - reserved bits (0-7, 9, above the address): #GP on hardware too;
/// - x2APIC to xAPIC (EXTD cleared, EN kept): an invalid transition, #GP on
///   hardware (10.12.5) and in Xen;
/// - turning the APIC off (EN and EXTD cleared): allowed by the SDM and by
///   Xen, refused here. The only way back on would be xAPIC mode, which
///   has no page here, and CPUID's APIC bit would have to go with it;
/// - moving the base: Xen refuses it in xAPIC mode; in x2APIC mode the
///   address means nothing, and it stays where it is;
/// - the BSP bit: set by the hardware at reset, not the guest's to change.
enum LocalAPICBase {
    static let msr: UInt32 = 0x1B
    /// The default base of the xAPIC page, also the MADT's local APIC
    /// address (ACPITables).
    static let defaultAddress: UInt64 = 0xFEE0_0000

    static let bootstrapProcessor: UInt64 = 1 << 8
    static let x2APICEnable: UInt64 = 1 << 10       // EXTD
    static let globalEnable: UInt64 = 1 << 11       // EN

    /// What RDMSR reads on a vCPU.
    static func value(isBootstrapProcessor: Bool) -> UInt64 {
        defaultAddress | globalEnable | x2APICEnable | (isBootstrapProcessor ? bootstrapProcessor : 0)
    }

    /// Whether WRMSR of `value` is accepted (see the type's comment).
    static func isAcceptedWrite(_ value: UInt64, isBootstrapProcessor: Bool) -> Bool {
        value == Self.value(isBootstrapProcessor: isBootstrapProcessor)
    }
}
