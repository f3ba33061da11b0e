import Support

/// Keeps this physical CPU holding the `GuestSystemRegisters` of the vCPU
/// it runs: before each entry the backend calls `loadValues(of:)`, which does
/// nothing when the same vCPU runs again (the common case: an exit and
/// straight back in), and otherwise saves the previous vCPU's values from
/// the CPU and loads the next one's. Per physical CPU, owned by the backend.
///
/// What is switched depends on the vendor (`Scope`): on VMX all of it, on
/// SVM only TSC_AUX, since VMRUN and VMLOAD/VMSAVE switch the rest.
struct GuestSystemRegisterSwitch {
    enum Scope {
        case controlRegister2AndSyscallMSRs      // VMX: CR2, STAR, LSTAR, CSTAR, SFMASK, KERNEL_GS_BASE, TSC_AUX
        case timeStampCounterAuxOnly             // SVM
    }

    let scope: Scope
    /// TSC_AUX exists only with RDTSCP (CPUID 80000001h EDX bit 27); without
    /// it the MSR faults, in the guest as on the host, and is not switched.
    private let hasTimeStampCounterAux: Bool
    /// The vCPU whose values the CPU holds now, if any, and its control
    /// block: comparing that address is what the exit path does, without
    /// touching the reference (and its reference count).
    private var loaded: VCPU? = nil
    private var loadedControlBlock: UInt64 = 0

    init(scope: Scope) {
        self.scope = scope
        let extendedMaximum = cpuid(0x8000_0000, 0).eax
        hasTimeStampCounterAux = extendedMaximum >= 0x8000_0001 && cpuid(0x8000_0001, 0).edx & (1 << 27) != 0
    }

    /// Returns true when it switched (another vCPU's values were loaded).
    /// Inlined: on the exit path it is one comparison.
    @discardableResult @inline(__always)
    mutating func loadValues(of vcpu: VCPU) -> Bool {
        if loadedControlBlock == vcpu.controlBlock && loadedControlBlock != 0 { return false }
        switchTo(vcpu)
        return true
    }

    @inline(never)
    private mutating func switchTo(_ vcpu: VCPU) {
        if let previous = loaded { previous.systemRegisters = readFromCPU(into: previous.systemRegisters) }
        writeToCPU(vcpu.systemRegisters)
        loaded = vcpu
        loadedControlBlock = vcpu.controlBlock
    }

    /// A vCPU that goes away: its values need no saving, and the CPU's must
    /// be loaded afresh for whoever runs next.
    mutating func forget(_ vcpu: VCPU) {
        if loaded === vcpu {
            loaded = nil
            loadedControlBlock = 0
        }
    }

    private func readFromCPU(into old: GuestSystemRegisters) -> GuestSystemRegisters {
        var values = old
        if hasTimeStampCounterAux { values.timeStampCounterAux = msr_read(ModelSpecificRegister.timeStampCounterAux) }
        guard scope == .controlRegister2AndSyscallMSRs else { return values }
        values.cr2 = read_cr2()
        values.star = msr_read(ModelSpecificRegister.syscallTarget)
        values.lstar = msr_read(ModelSpecificRegister.longModeSyscallTarget)
        values.cstar = msr_read(ModelSpecificRegister.compatibilitySyscallTarget)
        values.syscallFlagMask = msr_read(ModelSpecificRegister.syscallFlagMask)
        values.kernelGSBase = msr_read(ModelSpecificRegister.kernelGSBase)
        return values
    }

    private func writeToCPU(_ values: GuestSystemRegisters) {
        if hasTimeStampCounterAux { msr_write(ModelSpecificRegister.timeStampCounterAux, values.timeStampCounterAux) }
        guard scope == .controlRegister2AndSyscallMSRs else { return }
        write_cr2(values.cr2)
        msr_write(ModelSpecificRegister.syscallTarget, values.star)
        msr_write(ModelSpecificRegister.longModeSyscallTarget, values.lstar)
        msr_write(ModelSpecificRegister.compatibilitySyscallTarget, values.cstar)
        msr_write(ModelSpecificRegister.syscallFlagMask, values.syscallFlagMask)
        msr_write(ModelSpecificRegister.kernelGSBase, values.kernelGSBase)
    }
}
