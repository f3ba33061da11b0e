/// The six local vector table entries of the virtual APIC: what the APIC
/// does with each of its local interrupt sources (Intel SDM Vol. 3A, 10.5.1,
/// figure 10-8). The CMCI entry is left out: there are no machine checks
/// (CPUIDPolicy hides MCE and MCA), and the version register says the
/// highest entry is the fifth (VirtualAPIC.version), so a guest does not
/// look for a seventh.
enum LocalVectorTableEntry: CaseIterable {
    case timer
    case thermalSensor
    case performanceCounter
    case lint0
    case lint1
    case error

    // The fields of an entry (figure 10-8).
    static let vectorBits: UInt32 = 0xFF
    static let deliveryModeBits: UInt32 = 0x7 << 8
    /// Delivery status: read-only; the virtual APIC delivers at once, so it
    /// always reads 0 (idle).
    static let deliveryStatus: UInt32 = 1 << 12
    static let inputPinPolarity: UInt32 = 1 << 13
    /// Remote IRR: read-only, for level-triggered LINT inputs; no device
    /// drives them here, so it reads 0.
    static let remoteIRR: UInt32 = 1 << 14
    static let levelTriggered: UInt32 = 1 << 15
    static let masked: UInt32 = 1 << 16
    /// Timer mode (10.5.4.1): 0 one-shot, 1 periodic. Bit 18 would select
    /// TSC-deadline mode, which CPUID does not offer (CPUIDPolicy), and so is
    /// reserved here.
    static let periodicTimer: UInt32 = 1 << 17

    /// Every entry's value at reset and after INIT: masked, vector 0
    /// (SDM 10.4.7.1).
    static let resetValue: UInt32 = masked

    /// The bits a WRMSR may set; any other bit is reserved and makes the
    /// WRMSR #GP in x2APIC mode (SDM 10.12.1.3). The delivery mode exists
    /// only where the figure shows it (not for the timer and the error
    /// entry), the pin fields only for LINT0 and LINT1.
    var writableBits: UInt32 {
        let common = Self.vectorBits | Self.deliveryStatus | Self.masked
        switch self {
        case .timer: return common | Self.periodicTimer
        case .thermalSensor, .performanceCounter: return common | Self.deliveryModeBits
        case .lint0, .lint1:
            return common | Self.deliveryModeBits | Self.inputPinPolarity | Self.remoteIRR | Self.levelTriggered
        case .error: return common
        }
    }

    /// The bits that are kept: the writable ones but the two status bits,
    /// which only the APIC itself sets (and this one never does).
    var storedBits: UInt32 { writableBits & ~(Self.deliveryStatus | Self.remoteIRR) }
}
