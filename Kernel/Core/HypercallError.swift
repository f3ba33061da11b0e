/// The one error type of every hypercall. Each case is a Xen errno; the
/// dispatcher returns its negation in RAX.
enum HypercallError: Error, Equatable {
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

    var errno: Int64 {
        switch self {
        case .notPermitted: 1
        case .noSuchDomain: 3
        case .tooBig: 7
        case .tryAgain: 11
        case .versionMismatch: 13
        case .busy: 16
        case .alreadyExists: 17
        case .noSpace: 28
        case .outOfMemory: 12
        case .badAddress: 14
        case .invalidArgument: 22
        case .notImplemented: 38
        case .noSuchEntry: 2
        case .timeInPast: 62
        }
    }

    /// What the guest finds in RAX.
    var returnValue: UInt64 { UInt64(bitPattern: -errno) }
}
