import XenPublic

/// The one error type of every hypercall. Each case is a Xen errno; the
/// dispatcher returns its negation in RAX.
enum HypercallError: Error, Equatable, CaseIterable {
    /// The caller may not do this (EPERM).
    case notPermitted
    /// No such domain (ESRCH).
    case noSuchDomain
    /// A guest pointer that does not lead to the guest's own RAM (EFAULT).
    case badAddress
    /// An argument out of range or malformed (EINVAL).
    case invalidArgument
    /// Not enough memory (ENOMEM).
    case outOfMemory
    /// The hypercall or sub-op does not exist here (ENOSYS).
    case notImplemented
    /// A buffer or count is larger than allowed (E2BIG).
    case tooBig
    /// Try again later (EAGAIN).
    case tryAgain
    /// The interface version the caller speaks is not ours (EACCES).
    case versionMismatch
    /// Already exists, or the slot is taken (EEXIST).
    case alreadyExists
    /// No room left: too many domains (ENOSPC).
    case noSpace
    /// Busy: not possible in the object's current state (EBUSY).
    case busy
    /// No such object, such as a vCPU number the domain lacks (ENOENT).
    case noSuchEntry
    /// The time asked for has already passed (ETIME).
    case timeInPast

    /// The positive error number. The numbers are xen_errno.h's, the
    /// header the guests decode them with, so the two sides cannot disagree.
    var errno: Int64 {
        let number = switch self {
        case .notPermitted: XEN_EPERM
        case .noSuchDomain: XEN_ESRCH
        case .badAddress: XEN_EFAULT
        case .invalidArgument: XEN_EINVAL
        case .outOfMemory: XEN_ENOMEM
        case .notImplemented: XEN_ENOSYS
        case .tooBig: XEN_E2BIG
        case .tryAgain: XEN_EAGAIN
        case .versionMismatch: XEN_EACCES
        case .alreadyExists: XEN_EEXIST
        case .noSpace: XEN_ENOSPC
        case .busy: XEN_EBUSY
        case .noSuchEntry: XEN_ENOENT
        case .timeInPast: XEN_ETIME
        }
        return Int64(number)
    }

    /// What the guest finds in RAX.
    var returnValue: UInt64 { UInt64(bitPattern: -errno) }
}
