/// Why the store refused a request. On the wire an error is sent as the
/// errno's name in text (xs_wire.h), so each case knows its name; the
/// numbers never travel.
///
/// Which error Xen's C daemon (cxenstored) gives where, and so this one:
/// a bad path or argument is EINVAL; a node the caller may not touch is
/// EACCES; a missing node ENOENT; too many nodes, too many bytes, too many
/// transactions, or a value over the entry size are all ENOSPC (cxenstored
/// reports every node quota so); too many watches, or a reply longer than
/// XENSTORE_PAYLOAD_MAX, E2BIG; a transaction that lost a race EAGAIN.
public enum StoreError: Error, Equatable {
    case invalidArgument        // EINVAL
    case accessDenied           // EACCES
    case alreadyExists          // EEXIST
    case isDirectory            // EISDIR
    case noEntry                // ENOENT
    case outOfMemory            // ENOMEM
    case quotaExceeded          // ENOSPC
    case ioError                // EIO
    case notEmpty               // ENOTEMPTY
    case notImplemented         // ENOSYS
    case readOnly               // EROFS
    case busy                   // EBUSY
    case tryAgain               // EAGAIN
    case alreadyConnected       // EISCONN
    case tooBig                 // E2BIG
    case notPermitted           // EPERM

    /// The text an XS_ERROR reply carries (without its NUL).
    public var wireName: StaticString {
        switch self {
        case .invalidArgument: return "EINVAL"
        case .accessDenied: return "EACCES"
        case .alreadyExists: return "EEXIST"
        case .isDirectory: return "EISDIR"
        case .noEntry: return "ENOENT"
        case .outOfMemory: return "ENOMEM"
        case .quotaExceeded: return "ENOSPC"
        case .ioError: return "EIO"
        case .notEmpty: return "ENOTEMPTY"
        case .notImplemented: return "ENOSYS"
        case .readOnly: return "EROFS"
        case .busy: return "EBUSY"
        case .tryAgain: return "EAGAIN"
        case .alreadyConnected: return "EISCONN"
        case .tooBig: return "E2BIG"
        case .notPermitted: return "EPERM"
        }
    }
}
