import XenPublic

/// Why one grant operation of a batch failed: each case is a GNTST_* code
/// (xen_grant_table.h), which goes into that struct's `status` while the
/// hypercall itself returns 0, as in Xen. Only the codes this hypervisor
/// reports are here.
enum GrantStatus: Error, Equatable, CaseIterable {
    /// The entry does not grant this (wrong type or domain, read-only), or
    /// the mapping cannot be made (GNTST_general_error).
    case generalError
    /// No such domain (GNTST_bad_domain).
    case badDomain
    /// The reference is beyond the table, or the map flags ask for no
    /// mapping at all (GNTST_bad_gntref).
    case badReference
    /// No mapping has this handle (GNTST_bad_handle).
    case badHandle
    /// The caller's maptrack is full (GNTST_no_device_space).
    case noDeviceSpace
    /// The caller may not name that domain here (GNTST_permission_denied).
    case permissionDenied
    /// The frame is not the domain's RAM (GNTST_bad_page).
    case badPage
    /// A copy that would leave its page (GNTST_bad_copy_arg).
    case badCopyArgument

    /// The value for the struct's `status` field.
    var code: Int16 {
        let value = switch self {
        case .generalError: GNTST_general_error
        case .badDomain: GNTST_bad_domain
        case .badReference: GNTST_bad_gntref
        case .badHandle: GNTST_bad_handle
        case .noDeviceSpace: GNTST_no_device_space
        case .permissionDenied: GNTST_permission_denied
        case .badPage: GNTST_bad_page
        case .badCopyArgument: GNTST_bad_copy_arg
        }
        return Int16(value)
    }
}
