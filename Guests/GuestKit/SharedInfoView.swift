import XenPublic

/// The guest's view of its shared_info page (xen_shared_info.h): where the
/// hypervisor publishes each vCPU's system time and pending-event flag.
///
/// A PVH guest has none until it asks: it gives up one page of its own RAM
/// and asks the hypervisor (XENMEM_add_to_physmap, XENMAPSPACE_shared_info)
/// to put shared_info there instead, as Linux does.
struct SharedInfoView {
    /// Guest-physical = guest-virtual here (GuestKit identity-maps its RAM).
    let address: UInt64

    /// The page once `map()` succeeded.
    nonisolated(unsafe) static var current: SharedInfoView? = nil

    /// Takes a page-aligned page from the heap and has shared_info mapped
    /// there. Mapping again moves it; the first mapping is kept as `current`.
    static func map() throws(HypercallFailure) -> SharedInfoView {
        if let current { return current }
        let page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        let address = Hypercall.argument(page)
        var request = xen_add_to_physmap()
        request.domid = DomainID(DOMID_SELF)
        request.space = UInt32(XENMAPSPACE_shared_info)
        request.idx = 0
        request.gpfn = address >> 12
        let result = withUnsafeMutablePointer(to: &request) { pointer in
            Hypercall.call(UInt64(__HYPERVISOR_memory_op), UInt64(XENMEM_add_to_physmap), Hypercall.argument(pointer))
        }
        if result < 0 { throw HypercallFailure(result: result) }
        let mapped = SharedInfoView(address: address)
        current = mapped
        return mapped
    }

    /// vCPU `index`'s vcpu_info (index below XEN_LEGACY_MAX_VCPUS).
    func vcpuInfo(_ index: Int = 0) -> UnsafeMutablePointer<vcpu_info> {
        UnsafeMutablePointer<vcpu_info>(bitPattern: UInt(address))! + index
    }
}
