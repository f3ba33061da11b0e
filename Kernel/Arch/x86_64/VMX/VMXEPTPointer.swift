/// The EPT pointer, the VMCS field that names a guest's EPT (Intel SDM
/// Vol. 3C, 24.6.11, table 24-8).
enum VMXEPTPointer {
    /// The PML4 address, memory type write-back (6) in bits 2:0, page-walk
    /// length - 1 (3) in bits 5:3; accessed/dirty flags (bit 6) off.
    static func make(root: UInt64) -> UInt64 {
        (root & PageTableFormat.addressMask) | 6 | (3 << 3)
    }
}
