/// RDMSR and WRMSR of the x2APIC registers (Intel SDM Vol. 3A, 10.12.1.2,
/// table 10-6), with x2APIC mode's rules for what faults (10.12.1.2 and
/// 10.12.1.3). `nil` / `false` mean #GP(0):
/// - an MSR of 0x800-0x8FF that names no register of this APIC;
/// - RDMSR of a write-only register (EOI, SELF IPI);
/// - WRMSR of a read-only register (ID, version, PPR, LDR, ISR, TMR, IRR,
///   current count);
/// - WRMSR with a reserved bit set: the bits 63:32 of every register but
///   the ICR, and the reserved bits of each (TPR 31:8, SVR 31:10 but
///   bit 12 needs EOI-broadcast suppression, which this APIC lacks; LVT
///   entries by LocalVectorTableEntry.writableBits; divide configuration
///   all but 0, 1 and 3; ICR as InterruptCommand.writableLowBits; SELF IPI
///   31:8);
/// - WRMSR of a value other than 0 to EOI and ESR.
/// These are the same cases Xen's guest_rdmsr_x2apic and guest_wrmsr_x2apic
/// fault on, except that here bits 63:32 are checked for every register.
extension VirtualAPIC {
    /// RDMSR `msr` at system time `now` (for the current count); nil: #GP.
    func readMSR(_ msr: UInt32, now: UInt64) -> UInt64? {
        guard let register = VirtualAPICRegister(msr: msr) else { return nil }
        switch register {
        case .id: return UInt64(id)
        case .version: return UInt64(Self.version)
        case .taskPriority: return UInt64(taskPriority)
        case .processorPriority: return UInt64(processorPriority)
        case .logicalDestination: return UInt64(logicalDestination)
        case .spuriousInterruptVector: return UInt64(spuriousInterruptVector)
        case .inService(let index): return UInt64(inService.word(index))
        case .triggerMode(let index): return UInt64(triggerMode.word(index))
        case .interruptRequest(let index): return UInt64(interruptRequests.word(index))
        case .errorStatus: return UInt64(errorStatus)
        case .interruptCommand: return interruptCommand
        case .localVector(let entry): return UInt64(localVector(entry))
        case .timerInitialCount: return UInt64(timerInitialCount)
        case .timerCurrentCount: return UInt64(timerCurrentCount(now: now))
        case .timerDivideConfiguration: return UInt64(timerDivideConfiguration)
        case .endOfInterrupt, .selfInterprocessorInterrupt: return nil      // write-only
        }
    }

    /// WRMSR `value` to `msr` at system time `now`; false: #GP, and nothing
    /// changed.
    func writeMSR(_ msr: UInt32, _ value: UInt64, now: UInt64) -> Bool {
        guard let register = VirtualAPICRegister(msr: msr) else { return false }
        if case .interruptCommand = register {
            guard value & 0xFFFF_FFFF & ~InterruptCommand.writableLowBits == 0 else { return false }
            sendInterprocessorInterrupt(value)
            return true
        }
        guard value >> 32 == 0 else { return false }
        let low = UInt32(value)
        switch register {
        case .taskPriority:
            guard low & ~0xFF == 0 else { return false }
            taskPriority = low
        case .endOfInterrupt:
            guard low == 0 else { return false }
            endOfInterrupt()
        case .spuriousInterruptVector:
            guard low & ~(0xFF | Self.softwareEnable | Self.focusProcessorCheckingDisabled) == 0 else { return false }
            setSpuriousInterruptVector(low)
        case .errorStatus:
            guard low == 0 else { return false }
            latchErrors()
        case .localVector(let entry):
            guard low & ~entry.writableBits == 0 else { return false }
            setLocalVector(entry, low)
        case .timerInitialCount:
            setTimerInitialCount(low, now: now)
        case .timerDivideConfiguration:
            guard low & ~0b1011 == 0 else { return false }
            setTimerDivideConfiguration(low, now: now)
        case .selfInterprocessorInterrupt:
            guard low & ~0xFF == 0 else { return false }
            sendSelfInterprocessorInterrupt(vector: UInt8(low))
        case .id, .version, .processorPriority, .logicalDestination, .inService, .triggerMode,
             .interruptRequest, .timerCurrentCount, .interruptCommand:
            return false                                                    // read-only
        }
        return true
    }
}
