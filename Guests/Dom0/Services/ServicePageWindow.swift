import XenPublic

/// Where dom0 keeps the pages it shares with the domains it serves (each
/// domain's store ring and console ring, foreign-mapped; each vbd's ring,
/// grant-mapped) mapped for as long as it serves
/// them: one page-sized slot per page, in a second window right after the
/// builder's ForeignMemoryWindow (outside dom0's RAM, inside the first
/// 1 GiB that GuestKit identity-maps, so a slot's guest-physical address is
/// also its virtual address).
///
/// Bounded: `slotCount` pages at most, whatever the domains ask; a full
/// window is an error for the domain being built, not a trap.
final class ServicePageWindow {
    static let windowAddress: UInt64 = ForeignMemoryWindow.windowAddress
        + UInt64(ForeignMemoryWindow.windowFrames) * ForeignMemoryWindow.pageSize
    /// Two pages per served domain: 128 domains.
    static let slotCount = 256

    private var used = [Bool](repeating: false, count: ServicePageWindow.slotCount)

    /// Maps frame `frame` of `domain` into a free slot and returns it.
    func map(_ domain: DomainID, frame: UInt64) throws(HypercallFailure) -> UnsafeMutableRawPointer {
        guard let slot = used.firstIndex(of: false) else { throw HypercallFailure(errno: XEN_ENOSPC) }
        let local = Self.windowAddress / ForeignMemoryWindow.pageSize + UInt64(slot)
        let foreign = [frame]
        let at = [local]
        var errors: [Int32] = [0]
        try foreign.withUnsafeBufferPointer { foreign throws(HypercallFailure) in
            try at.withUnsafeBufferPointer { at throws(HypercallFailure) in
                try errors.withUnsafeMutableBufferPointer { errors throws(HypercallFailure) in
                    try MemoryOp.mapForeign(domain, foreignFrames: foreign, at: at, errors: errors)
                }
            }
        }
        let error = errors[0]
        if error != 0 { throw HypercallFailure(errno: -error) }
        used[slot] = true
        return UnsafeMutableRawPointer(bitPattern: UInt(local * ForeignMemoryWindow.pageSize))!
    }

    /// A page another domain granted, mapped in a slot: the page and the
    /// handle unmapping needs.
    struct GrantedPage {
        let page: UnsafeMutableRawPointer
        let handle: grant_handle_t
    }

    /// Maps grant `reference` of `domain` writable (GNTMAP_host_map) into a
    /// free slot. A slot holds no RAM, which is what mapping a grant at a
    /// guest-physical address needs. A GNTST_* refusal is thrown as EINVAL
    /// after saying its status.
    func mapGrant(_ reference: GrantReference, of domain: DomainID) throws(HypercallFailure) -> GrantedPage {
        guard let slot = used.firstIndex(of: false) else { throw HypercallFailure(errno: XEN_ENOSPC) }
        let address = Self.windowAddress + UInt64(slot) * ForeignMemoryWindow.pageSize
        let mapped = try GrantTableOp.map(reference, of: domain, at: address)
        guard mapped.succeeded else {
            print("dom0: cannot map grant \(reference) of d\(domain): GNTST \(mapped.status)")
            throw HypercallFailure(errno: XEN_EINVAL)
        }
        used[slot] = true
        return GrantedPage(page: UnsafeMutableRawPointer(bitPattern: UInt(address))!, handle: mapped.handle)
    }

    /// Unmaps a page `mapGrant` returned; the granting domain may then end
    /// its grant.
    func unmapGrant(_ granted: GrantedPage) {
        let address = UInt64(UInt(bitPattern: granted.page))
        guard address >= Self.windowAddress else { return }
        let slot = Int((address - Self.windowAddress) / ForeignMemoryWindow.pageSize)
        guard slot < Self.slotCount, used[slot] else { return }
        do throws(HypercallFailure) {
            let status = try GrantTableOp.unmap(granted.handle, at: address)
            if status == Int16(GNTST_okay) {
                used[slot] = false
            } else {
                print("dom0: cannot unmap the grant at \(hex(address, digits: 1)): GNTST \(status)")
            }
        } catch {
            print("dom0: cannot unmap the grant at \(hex(address, digits: 1)): \(error.name) (\(error.result))")
        }
    }

    /// Unmaps a page `map` returned. The foreign domain's frame is its
    /// own again (the hypervisor drops dom0's reference).
    func unmap(_ page: UnsafeMutableRawPointer) {
        let address = UInt64(UInt(bitPattern: page))
        guard address >= Self.windowAddress else { return }
        let slot = Int((address - Self.windowAddress) / ForeignMemoryWindow.pageSize)
        guard slot < Self.slotCount, used[slot] else { return }
        do throws(HypercallFailure) {
            try MemoryOp.removeFromPhysmap(address / ForeignMemoryWindow.pageSize)
            used[slot] = false
        } catch {
            print("dom0: cannot unmap a service page at \(hex(address, digits: 1)): \(error.name) (\(error.result))")
        }
    }
}
