/// The grants one domain has mapped, by handle (Xen's maptrack). Handles
/// are chosen here, not by the guest: the lowest free slot, so the table
/// only grows when every slot is in use, and never past
/// `maximumMappings` (the mapper then gets GNTST_no_device_space). At
/// 48 bytes a slot that is at most 48 KiB of heap per domain.
final class MaptrackTable {
    /// The most grants one domain may have mapped at once.
    static let maximumMappings = 1024

    private var slots: [GrantMapping?] = []
    private(set) var count = 0

    /// Records `mapping` and returns its handle; nil when the table is full.
    func insert(_ mapping: GrantMapping) -> UInt32? {
        if let free = slots.firstIndex(where: { $0 == nil }) {
            slots[free] = mapping
            count += 1
            return UInt32(free)
        }
        guard slots.count < Self.maximumMappings else { return nil }
        slots.append(mapping)
        count += 1
        return UInt32(slots.count - 1)
    }

    func mapping(_ handle: UInt32) -> GrantMapping? {
        guard Int(handle) < slots.count else { return nil }
        return slots[Int(handle)]
    }

    /// Removes and returns the mapping `handle`, if there is one.
    func remove(_ handle: UInt32) -> GrantMapping? {
        guard let mapping = mapping(handle) else { return nil }
        slots[Int(handle)] = nil
        count -= 1
        return mapping
    }

    /// Every handle in use, lowest first.
    var handles: [UInt32] {
        var handles: [UInt32] = []
        for (index, slot) in slots.enumerated() where slot != nil { handles.append(UInt32(index)) }
        return handles
    }

    /// The granter was destroyed: its entries no longer exist.
    func forgetGranter(_ granter: UInt16) {
        for index in slots.indices where slots[index]?.granter == granter {
            slots[index]!.granterExists = false
        }
    }
}
