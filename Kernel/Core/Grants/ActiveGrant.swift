/// A grant entry some domain has mapped (Xen's active grant entry): what the
/// entry said when it was first mapped, and how many mappings use it. The
/// shared entry belongs to the guest, which may rewrite it at any time;
/// while mappings exist, the hypervisor goes by this record instead, as Xen
/// does, and the guest learns from GTF_reading/GTF_writing that it must not.
struct ActiveGrant {
    var reference: UInt32
    /// The domain that maps it: the entry's domid when first mapped.
    var mapper: UInt16
    /// The granted frame: the granter's guest frame and its host frame.
    var guestFrame: UInt64
    var hostFrame: UInt64
    /// Mappings of it, all of them, and the writable ones among them.
    var mappings: Int
    var writableMappings: Int
}
