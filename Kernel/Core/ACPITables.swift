/// The ACPI tables a PVH domain finds through `hvm_start_info.rsdp_paddr`:
/// an RSDP, an XSDT that lists one table, and that table, a MADT with one
/// Processor Local APIC entry per vCPU. It is what Xen's dom0 builder
/// (pvh_setup_acpi) gives a PVH dom0, less what this hypervisor does not
/// have: no IO-APIC (Xen shows its emulated one), no interrupt source
/// overrides, and none of the host's other tables (FADT, DSDT, ...).
/// Linux reads the MADT's entries as its processors and their APIC IDs,
/// and the MADT's presence is what makes it set up its local APIC.
///
/// The tables fit one page, built for the guest-physical address `base`
/// they will be copied to (the tables point at each other by address):
///
///     offset  size       table
///          0  36         RSDP (16-byte aligned, like one found by a scan)
///         48  44         XSDT: header, then the MADT's address
///         96  44 + 8 n   MADT: header, local APIC address, flags, n entries
///
/// The hypervisor builds them for dom0 (PVHLoader); dom0 builds the same
/// for each domU it makes (Guests/Dom0/StartInfoPage.swift): this file is
/// compiled into the guests too (BuildFlags.guestSharedSwiftSources), so it
/// must stay pure logic.
///
/// Section numbers are those of the ACPI specification 6.5.
struct ACPITables {
    let base: UInt64
    let processorCount: Int

    static let rsdpOffset = 0
    static let xsdtOffset = 48
    static let madtOffset = 96
    /// Processor Local APIC entries hold 8-bit APIC IDs, and 0xFF means
    /// "all" in xAPIC mode: IDs 0-254 (5.2.12.2), one per vCPU.
    static let maximumProcessors = 255

    var rsdpAddress: UInt64 { base + UInt64(Self.rsdpOffset) }
    var xsdtAddress: UInt64 { base + UInt64(Self.xsdtOffset) }
    var madtAddress: UInt64 { base + UInt64(Self.madtOffset) }

    init(base: UInt64, processorCount: Int) {
        precondition(processorCount >= 1 && processorCount <= Self.maximumProcessors)
        self.base = base
        self.processorCount = processorCount
    }

    /// The three tables, each with its length and checksums set.
    func bytes() -> [UInt8] {
        var bytes = rootSystemDescriptionPointer()
        bytes.append(contentsOf: [UInt8](repeating: 0, count: Self.xsdtOffset - bytes.count))
        bytes.append(contentsOf: extendedSystemDescriptionTable())
        bytes.append(contentsOf: [UInt8](repeating: 0, count: Self.madtOffset - bytes.count))
        bytes.append(contentsOf: multipleAPICDescriptionTable())
        return bytes
    }

    // MARK: - RSDP (5.2.5.3)

    static let rsdpSize = 36

    /// The Root System Description Pointer, revision 2 (ACPI 2.0 and later):
    ///
    ///     offset  size  field
    ///          0     8  "RSD PTR "
    ///          8     1  Checksum of bytes 0-19 (the ACPI 1.0 part)
    ///          9     6  OEM ID
    ///         15     1  Revision: 2
    ///         16     4  RSDT address: 0, there is only an XSDT
    ///         20     4  Length: 36
    ///         24     8  XSDT address
    ///         32     1  Extended checksum, of all 36 bytes
    ///         33     3  Reserved
    func rootSystemDescriptionPointer() -> [UInt8] {
        var rsdp: [UInt8] = []
        rsdp.appendText("RSD PTR ", width: 8)
        rsdp.append(0)                                          // checksum, below
        rsdp.appendText(ACPITableHeader.oemID, width: 6)
        rsdp.append(2)
        rsdp.appendLittleEndian(UInt32(0))
        rsdp.appendLittleEndian(UInt32(Self.rsdpSize))
        rsdp.appendLittleEndian(xsdtAddress)
        rsdp.append(0)                                          // extended checksum, below
        rsdp.append(contentsOf: [0, 0, 0])
        ACPITableHeader.sealChecksum(of: 0..<20, at: 8, in: &rsdp)
        ACPITableHeader.sealChecksum(of: 0..<Self.rsdpSize, at: 32, in: &rsdp)
        return rsdp
    }

    // MARK: - XSDT (5.2.8)

    /// The Extended System Description Table: the header (revision 1), then
    /// one 64-bit address per table; here only the MADT's.
    func extendedSystemDescriptionTable() -> [UInt8] {
        var xsdt: [UInt8] = []
        ACPITableHeader(signature: "XSDT", revision: 1).append(length: ACPITableHeader.size + 8, to: &xsdt)
        xsdt.appendLittleEndian(madtAddress)
        ACPITableHeader.sealChecksum(of: 0..<xsdt.count, at: ACPITableHeader.checksumOffset, in: &xsdt)
        return xsdt
    }

    // MARK: - MADT (5.2.12)

    /// Revision 4, the one Xen gives its PVH dom0's MADT (ACPI 6.0-6.1).
    static let madtRevision: UInt8 = 4
    /// MADT flags ("Multiple APIC Flags"): bit 0, PCAT_COMPAT, says there
    /// are also dual 8259 PICs. There are none a guest could use, and Xen
    /// leaves the flags of its PVH dom0's MADT 0 too.
    static let madtFlags: UInt32 = 0
    static let processorLocalAPICType: UInt8 = 0
    static let processorLocalAPICLength = 8
    static let processorEnabled: UInt32 = 1 << 0

    /// The Multiple APIC Description Table ("APIC"):
    ///
    ///     offset  size  field
    ///          0    36  header
    ///         36     4  Local Interrupt Controller Address: 0xFEE00000
    ///         40     4  Flags
    ///         44   8 n  one Processor Local APIC structure (5.2.12.2) per vCPU:
    ///                   type 0, length 8, ACPI processor UID, APIC ID,
    ///                   flags (bit 0: enabled)
    ///
    /// vCPU i has UID i and APIC ID i (LocalAPICID), the ID its
    /// VirtualAPIC and CPUID report.
    func multipleAPICDescriptionTable() -> [UInt8] {
        var madt: [UInt8] = []
        let length = ACPITableHeader.size + 8 + processorCount * Self.processorLocalAPICLength
        ACPITableHeader(signature: "APIC", revision: Self.madtRevision).append(length: length, to: &madt)
        madt.appendLittleEndian(UInt32(LocalAPICBase.defaultAddress))
        madt.appendLittleEndian(Self.madtFlags)
        for processor in 0..<processorCount {
            madt.append(Self.processorLocalAPICType)
            madt.append(UInt8(Self.processorLocalAPICLength))
            madt.append(UInt8(processor))                       // ACPI processor UID
            madt.append(UInt8(LocalAPICID.ofVCPU(processor)))
            madt.appendLittleEndian(Self.processorEnabled)
        }
        ACPITableHeader.sealChecksum(of: 0..<madt.count, at: ACPITableHeader.checksumOffset, in: &madt)
        return madt
    }
}
