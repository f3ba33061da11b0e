import XenPublic

/// An entry of a domain's grant table, as handed to the domain it grants
/// to (grant_ref_t).
typealias GrantReference = grant_ref_t
