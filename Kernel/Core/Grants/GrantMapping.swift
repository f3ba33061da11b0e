/// One entry of a domain's maptrack: a grant it mapped with
/// GNTTABOP_map_grant_ref, found again by its handle at unmap.
struct GrantMapping: Equatable {
    /// Whose grant, and which entry.
    var granter: UInt16
    var reference: UInt32
    /// Where the mapper sees it (its guest frame), and what is there.
    var guestFrame: UInt64
    var hostFrame: UInt64
    var isReadOnly: Bool
    /// False once the granter is destroyed: its table and active entries
    /// are gone (and its id may name a new domain), so the unmap only
    /// removes the mapping, whose reference kept the frame alive.
    var granterExists = true
}
