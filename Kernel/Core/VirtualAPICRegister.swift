/// The registers of a local APIC in x2APIC mode, by MSR number (Intel SDM
/// Vol. 3A, 10.12.1.2, table 10-6): register n of the xAPIC page (at
/// offset n × 16) is MSR 0x800 + n. Every other MSR of 0x800-0x8FF is
/// reserved, and so is every register table 10-6 lists that this APIC does
/// not have (the CMCI entry, 0x82F): both #GP (`init` gives nil).
enum VirtualAPICRegister: Equatable {
    case id                             // 0x802, read-only in x2APIC mode
    case version                        // 0x803, read-only
    case taskPriority                   // 0x808
    case processorPriority              // 0x80A, read-only
    case endOfInterrupt                 // 0x80B, write-only
    case logicalDestination             // 0x80D, read-only in x2APIC mode
    case spuriousInterruptVector        // 0x80F
    case inService(Int)                 // 0x810-0x817, read-only
    case triggerMode(Int)               // 0x818-0x81F, read-only
    case interruptRequest(Int)          // 0x820-0x827, read-only
    case errorStatus                    // 0x828
    case interruptCommand               // 0x830, 64 bits in x2APIC mode
    case localVector(LocalVectorTableEntry)   // 0x832-0x837
    case timerInitialCount              // 0x838
    case timerCurrentCount              // 0x839, read-only
    case timerDivideConfiguration       // 0x83E
    case selfInterprocessorInterrupt    // 0x83F, write-only, x2APIC mode only

    /// The x2APIC MSRs (SDM 10.12.1.2). Both backends make every access to
    /// them exit (VMXMSRBitmap, SVMPermissionMaps: nothing here passes
    /// through), and no APIC virtualization is turned on.
    static let msrRange: ClosedRange<UInt32> = 0x800...0x8FF

    init?(msr: UInt32) {
        switch msr {
        case 0x802: self = .id
        case 0x803: self = .version
        case 0x808: self = .taskPriority
        case 0x80A: self = .processorPriority
        case 0x80B: self = .endOfInterrupt
        case 0x80D: self = .logicalDestination
        case 0x80F: self = .spuriousInterruptVector
        case 0x810...0x817: self = .inService(Int(msr - 0x810))
        case 0x818...0x81F: self = .triggerMode(Int(msr - 0x818))
        case 0x820...0x827: self = .interruptRequest(Int(msr - 0x820))
        case 0x828: self = .errorStatus
        case 0x830: self = .interruptCommand
        case 0x832: self = .localVector(.timer)
        case 0x833: self = .localVector(.thermalSensor)
        case 0x834: self = .localVector(.performanceCounter)
        case 0x835: self = .localVector(.lint0)
        case 0x836: self = .localVector(.lint1)
        case 0x837: self = .localVector(.error)
        case 0x838: self = .timerInitialCount
        case 0x839: self = .timerCurrentCount
        case 0x83E: self = .timerDivideConfiguration
        case 0x83F: self = .selfInterprocessorInterrupt
        default: return nil
        }
    }
}
