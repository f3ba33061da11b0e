import XenPublic

/// XEN_DOMCTL_createdomain: a new, paused domain with nested page tables and
/// no memory or vCPU yet; dom0's builder adds those next (max_mem,
/// populate_physmap, setvcpucontext) and then unpauses it.
enum DomainFactory {
    /// How many domains may exist at once, dom0 included.
    static let maximumDomains = 64

    static func create(from request: xen_domctl_createdomain, requestedID: UInt16,
                       on hypervisor: Hypervisor) throws(HypercallError) -> Domain {
        let required = UInt32(XEN_DOMCTL_CDF_hvm) | UInt32(XEN_DOMCTL_CDF_hap)
        guard request.flags & required == required else { throw .invalidArgument }
        guard request.max_vcpus <= 1 else { throw .invalidArgument }
        guard hypervisor.domains.count < maximumDomains else { throw .noSpace }
        let id = try chooseID(requestedID, hypervisor)
        guard let memory = DomainMemory(format: hypervisor.backend.nestedPageFormat, frames: hypervisor.frames) else {
            throw .outOfMemory
        }
        let handle = withUnsafeBytes(of: request.handle) { Array($0) }
        let domain = Domain(id: id, name: name(from: handle, id: id), isPrivileged: false, memory: memory)
        domain.handle = handle
        domain.state = .paused
        hypervisor.add(domain)
        Log.info("d\(id) (\(domain.name)): created by d0")
        return domain
    }

    /// 0 means "any": the lowest free id from 1. A requested id must be free
    /// and below the reserved range (DOMID_SELF and friends).
    private static func chooseID(_ requested: UInt16, _ hypervisor: Hypervisor) throws(HypercallError) -> UInt16 {
        let taken = hypervisor.domains.map { $0.id }
        if requested != 0 {
            guard requested < UInt16(DOMID_FIRST_RESERVED) else { throw .invalidArgument }
            guard !taken.contains(requested) else { throw .alreadyExists }
            return requested
        }
        var id: UInt16 = 1
        while taken.contains(id) { id += 1 }
        return id
    }

    /// The toolstack passes the domain's name in the 16-byte handle (Xen's
    /// handle is an opaque id the toolstack chooses). Printable ASCII up to
    /// the first NUL, or "d<id>".
    static func name(from handle: [UInt8], id: UInt16) -> String {
        var bytes: [UInt8] = []
        for byte in handle {
            if byte == 0 { break }
            guard byte > 0x20 && byte < 0x7F else { return "d\(id)" }
            bytes.append(byte)
        }
        return bytes.isEmpty ? "d\(id)" : String(decoding: bytes, as: UTF8.self)
    }
}
