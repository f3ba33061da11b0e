import XenPublic

/// A hypercall that failed: the hypervisor returned -errno in RAX.
/// The one error type of every GuestKit wrapper (typed throws); the
/// hypervisor's side of the same numbers is its HypercallError.
struct HypercallFailure: Error {
    /// The positive error number, one of XEN_E* (Linux's numbering).
    let errno: Int32

    init(errno: Int32) { self.errno = errno }

    /// From a raw negative result.
    init(result: Int64) { self.errno = Int32(truncatingIfNeeded: -result) }

    /// The raw result that produced this error, for printing and comparing.
    var result: Int64 { -Int64(errno) }

    /// The errno's name, for messages: every number xen_errno.h defines.
    var name: StaticString {
        switch errno {
        case XEN_EPERM: "EPERM"
        case XEN_ENOENT: "ENOENT"
        case XEN_ESRCH: "ESRCH"
        case XEN_E2BIG: "E2BIG"
        case XEN_EAGAIN: "EAGAIN"
        case XEN_ENOMEM: "ENOMEM"
        case XEN_EACCES: "EACCES"
        case XEN_EFAULT: "EFAULT"
        case XEN_EBUSY: "EBUSY"
        case XEN_EEXIST: "EEXIST"
        case XEN_EINVAL: "EINVAL"
        case XEN_ENOSPC: "ENOSPC"
        case XEN_ERANGE: "ERANGE"
        case XEN_ENOSYS: "ENOSYS"
        case XEN_ETIME: "ETIME"
        default: "unknown errno"
        }
    }
}
