/// What the firmware says a stretch of physical memory is for.
///
/// The cases follow the multiboot1 (and BIOS E820) type numbers. Anything the
/// hypervisor does not understand is treated as reserved: the safe reading of
/// an unknown type is "do not touch".
public enum MemoryRegionKind: Equatable {
    case available
    case reserved
    case acpiReclaimable
    case acpiNonVolatile
    case defective

    /// Multiboot1 memory map `type`: 1 available, 2 reserved, 3 ACPI
    /// reclaimable, 4 ACPI NVS, 5 defective RAM; every other value reserved.
    public init(multibootType: UInt32) {
        switch multibootType {
        case 1: self = .available
        case 3: self = .acpiReclaimable
        case 4: self = .acpiNonVolatile
        case 5: self = .defective
        default: self = .reserved
        }
    }

    /// Short name for the boot banner's memory-map listing.
    public var name: String {
        switch self {
        case .available: "available"
        case .reserved: "reserved"
        case .acpiReclaimable: "ACPI reclaimable"
        case .acpiNonVolatile: "ACPI NVS"
        case .defective: "defective"
        }
    }
}
