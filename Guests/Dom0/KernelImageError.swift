/// Why a boot module is no PVH kernel dom0 can load.
enum KernelImageError: Error {
    case notELF
    case unsupported(String)
    case truncated(String)
    case malformed(String)
    case noLoadableSegment
    case notPVH
    case entryOutsideImage(UInt32)

    var message: String {
        switch self {
        case .notELF: "not an ELF file (bad magic)"
        case .unsupported(let why): "unsupported ELF: " + why
        case .truncated(let why): "truncated ELF: " + why
        case .malformed(let why): "malformed ELF: " + why
        case .noLoadableSegment: "the ELF file has no loadable segment"
        case .notPVH: "not a PVH kernel: no Xen note PHYS32_ENTRY"
        case .entryOutsideImage(let entry): "the PVH entry \(hex(UInt64(entry), digits: 8)) lies outside every loadable segment"
        }
    }
}
