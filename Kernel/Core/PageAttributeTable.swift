/// A vCPU's IA32_PAT (MSR 0x277): eight one-byte memory types that page
/// table entries select with their PAT, PCD and PWT bits (Intel SDM Vol. 3,
/// "Page Attribute Table").
///
/// Every guest kernel writes it early (Xen itself does so before it has an
/// IDT, so a #GP there is a triple fault). The value is kept per vCPU and
/// read back; it is not loaded into the hardware, so guest memory keeps the
/// cache type the nested page tables give it (write-back). That only
/// matters for device memory, and there are no devices here.
struct PageAttributeTable {
    static let msr: UInt32 = 0x277
    /// The value at reset: WB, WT, UC-, UC, WB, WT, UC-, UC.
    static let resetValue: UInt64 = 0x0007_0406_0007_0406

    var value: UInt64 = resetValue

    /// Each byte must name a memory type: 0 UC, 1 WC, 4 WT, 5 WP, 6 WB,
    /// 7 UC-. Anything else (2, 3, 8 and up) makes WRMSR #GP.
    static func isValid(_ value: UInt64) -> Bool {
        for entry in 0..<8 {
            let type = (value >> UInt64(entry * 8)) & 0xFF
            if type == 2 || type == 3 || type > 7 { return false }
        }
        return true
    }
}
