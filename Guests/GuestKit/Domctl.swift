import XenPublic

/// domctl: the privileged domain's control over other domains, the
/// hypercalls a Xen toolstack is built on. Any other domain gets EPERM.
///
/// Every operation fills one struct xen_domctl (command, interface
/// version, target domain, payload); the hypervisor writes its answers
/// back into the same struct. A new domain comes into being in steps:
/// create (paused, no memory), setMaxMemory, MemoryOp.populate, write its
/// image through a ForeignMemoryWindow, setVCPUContext, unpause.
enum Domctl {
    /// The handle is 16 bytes and carries the name NUL-padded: at most 15.
    static let maximumNameLength = 15

    /// Creates a paused domain without memory, named `name` (the hypervisor
    /// prints it in its reports), and returns the id the hypervisor chose.
    static func create(name: GuestString, maxVCPUs: UInt32 = 1) throws(HypercallFailure) -> DomainID {
        guard name.bytes.count <= maximumNameLength else { throw HypercallFailure(errno: XEN_EINVAL) }
        // Domain 0 here means "pick one": dom0 itself is never created.
        var domctl = request(XEN_DOMCTL_createdomain, domain: 0)
        domctl.u.createdomain.flags = UInt32(XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap)
        domctl.u.createdomain.max_vcpus = maxVCPUs
        withUnsafeMutableBytes(of: &domctl.u.createdomain.handle) { handle in
            for index in 0..<name.bytes.count { handle[index] = name.bytes[index] }
        }
        try perform(&domctl)
        return domctl.domain
    }

    /// The most memory `domain` may be given (populate fails beyond it).
    static func setMaxMemory(_ domain: DomainID, kilobytes: UInt64) throws(HypercallFailure) {
        var domctl = request(XEN_DOMCTL_max_mem, domain: domain)
        domctl.u.max_mem.max_memkb = kilobytes
        try perform(&domctl)
    }

    /// Sets vCPU 0 of `domain` to the PVH start state: it will begin at
    /// `entry` with EBX = `startInfo` when the domain is unpaused.
    static func setVCPUContext(_ domain: DomainID, entry: UInt32, startInfo: UInt32) throws(HypercallFailure) {
        var context = PVHStartContext.make(entry: entry, startInfo: startInfo)
        var domctl = request(XEN_DOMCTL_setvcpucontext, domain: domain)
        domctl.u.vcpucontext.vcpu = 0
        try withUnsafeMutablePointer(to: &context) { (pointer) throws(HypercallFailure) in
            domctl.u.vcpucontext.ctxt = Hypercall.argument(pointer)
            try perform(&domctl)
        }
    }

    static func unpause(_ domain: DomainID) throws(HypercallFailure) {
        var domctl = request(XEN_DOMCTL_unpausedomain, domain: domain)
        try perform(&domctl)
    }

    static func pause(_ domain: DomainID) throws(HypercallFailure) {
        var domctl = request(XEN_DOMCTL_pausedomain, domain: domain)
        try perform(&domctl)
    }

    /// Ends `domain` whatever its state and gives all its memory back.
    static func destroy(_ domain: DomainID) throws(HypercallFailure) {
        var domctl = request(XEN_DOMCTL_destroydomain, domain: domain)
        try perform(&domctl)
    }

    /// `domain`'s state; ESRCH if it does not exist (any more).
    static func info(_ domain: DomainID) throws(HypercallFailure) -> DomainInfo {
        let info = try info(atOrAbove: domain)
        // getdomaininfo answers for the next domain up when this one is gone.
        guard info.id == domain else { throw HypercallFailure(errno: XEN_ESRCH) }
        return info
    }

    /// The state of `domain`, or of the lowest-numbered domain above it if
    /// it does not exist; ESRCH when there is none.
    static func info(atOrAbove domain: DomainID) throws(HypercallFailure) -> DomainInfo {
        var domctl = request(XEN_DOMCTL_getdomaininfo, domain: domain)
        try perform(&domctl)
        return DomainInfo(domctl.u.getdomaininfo)
    }

    /// Every domain, dom0 included, lowest id first.
    static func list() throws(HypercallFailure) -> [DomainInfo] {
        var domains: [DomainInfo] = []
        var next: DomainID = 0
        while next < DomainID(DOMID_FIRST_RESERVED) {
            let info: DomainInfo
            do { info = try self.info(atOrAbove: next) } catch where error.errno == XEN_ESRCH { break }
            domains.append(info)
            next = info.id + 1
        }
        return domains
    }

    private static func request(_ command: Int32, domain: DomainID) -> xen_domctl {
        var domctl = xen_domctl()
        domctl.cmd = UInt32(command)
        domctl.interface_version = UInt32(XEN_DOMCTL_INTERFACE_VERSION)
        domctl.domain = domain
        return domctl
    }

    private static func perform(_ domctl: inout xen_domctl) throws(HypercallFailure) {
        let result = withUnsafeMutablePointer(to: &domctl) { pointer in
            Hypercall.call(UInt64(__HYPERVISOR_domctl), Hypercall.argument(pointer))
        }
        if result < 0 { throw HypercallFailure(result: result) }
    }
}
