import Support

/// Intel VT-x (Intel SDM Vol. 3C, chapters 24-28): VMX root operation, one
/// VMCS per vCPU set up for a PVH guest behind EPT, VM entry and exit, and
/// the decoding of exits into Core's `VMExit`.
///
/// Files, in reading order: VMXCapabilities (what the CPU allows),
/// VMXControls (what exits), VMXHostState and VMXGuestState (the two state
/// areas), VMXControlRegisters (the CR0/CR4 split), VMXEntry.S (entry and
/// exit), VMXExitDecoder (after an exit).
final class VMXBackend: VirtualizationBackend {
    let name = "VMX"
    let nestedPageFormat = PageTableFormat.ept
    /// VMCALL, 0F 01 C1 (SDM Vol. 2B): exits with reason 18 in any guest mode.
    let hypercallInstruction: [UInt8] = [0x0F, 0x01, 0xC1]

    private let capabilities: VMXCapabilities
    private var controlRegisters: VMXControlRegisters
    private var vmxonRegion: UnsafeMutableRawPointer?
    private var isOn = false

    /// Settled once, at the first createVCPU.
    private var controls: VMXControls?
    /// Shared by every vCPU (VMXMSRBitmap).
    private var msrBitmap: UnsafeMutableRawPointer?
    /// The I/O bitmaps of every domain without its own: all ports exit.
    private var sharedIOPortBitmap: IOPortBitmap?
    /// The VMCS current on this CPU (the last VMPTRLD), 0 for none.
    private var currentVMCS: UInt64 = 0
    /// Every VMCS that has been current since its VMCLEAR: VMXOFF wants
    /// them cleared first, so the CPU has written them back (SDM 24.11.3).
    private var activeVMCSs: [UInt64] = []
    /// CR2 and the SYSCALL MSRs of the vCPU this CPU runs (the VMCS does not
    /// switch them; the guest uses them directly, see VMXMSRBitmap).
    private var systemRegisters = GuestSystemRegisterSwitch(scope: .controlRegister2AndSyscallMSRs)

    private static let cr4VMXEnable: UInt64 = 1 << 13

    init() {
        capabilities = VMXCapabilities.read()
        controlRegisters = VMXControlRegisters(capabilities)
    }

    var capabilitySummary: [String] {
        ["EPT \(yesNo(capabilities.hasEPT)), unrestricted guest \(yesNo(capabilities.hasUnrestrictedGuest)), "
            + "VPID \(yesNo(capabilities.hasVPID)), "
            + "VMCS revision \(hex(UInt64(capabilities.revisionIdentifier), digits: 8))"]
    }

    /// PVH guests start in 32-bit protected mode without paging: without
    /// unrestricted guest that needs emulation we do not do, and without EPT
    /// there is no nested paging.
    var unusableReason: String? {
        if !capabilities.hasEPT { return "the CPU has no EPT" }
        if !capabilities.hasUnrestrictedGuest { return "the CPU has no unrestricted guest mode" }
        if !capabilities.eptHasFourLevelWalk || !capabilities.eptHasWriteBack {
            return "the CPU's EPT has no 4-level, write-back page walk"
        }
        return nil
    }

    // MARK: - VMX operation

    func enable() throws(VirtualizationError) {
        try checkFeatureControl()

        // CR0 and CR4 must respect the VMX fixed bits while in VMX operation
        // (SDM 23.8): bits set in FIXED0 must be 1, bits clear in FIXED1 must be 0.
        var cr4 = read_cr4() | Self.cr4VMXEnable
        cr4 = (cr4 | capabilities.cr4Fixed0) & capabilities.cr4Fixed1
        write_cr4(cr4)
        write_cr0((read_cr0() | capabilities.cr0Fixed0) & capabilities.cr0Fixed1)

        // The VMXON region: one 4 KiB-aligned page starting with the revision.
        let region = vmxonRegion ?? allocateZeroed(bytes: 4096, alignment: 4096)
        vmxonRegion = region
        region.storeBytes(of: capabilities.revisionIdentifier, as: UInt32.self)
        guard vmx_on(UInt64(UInt(bitPattern: region))) else {
            write_cr4(read_cr4() & ~Self.cr4VMXEnable)
            throw .hardwareRefused("VMXON failed")
        }
        isOn = true
    }

    func disable() {
        guard isOn else { return }
        for vmcs in activeVMCSs { _ = vmx_clear(vmcs) }
        activeVMCSs.removeAll()
        currentVMCS = 0
        vmx_off()
        write_cr4(read_cr4() & ~Self.cr4VMXEnable)
        isOn = false
    }

    /// IA32_FEATURE_CONTROL: bit 0 locks the register, bit 2 allows VMXON
    /// outside SMX. If firmware locked it without bit 2, VMX is off for good;
    /// if it left it unlocked, we set bit 2 and lock it ourselves.
    private func checkFeatureControl() throws(VirtualizationError) {
        let lock: UInt64 = 1 << 0
        let vmxOutsideSMX: UInt64 = 1 << 2
        let control = msr_read(ModelSpecificRegister.featureControl)
        if control & lock != 0 {
            if control & vmxOutsideSMX == 0 {
                throw .disabledByFirmware("IA32_FEATURE_CONTROL is locked with VMX off")
            }
        } else {
            msr_write(ModelSpecificRegister.featureControl, control | lock | vmxOutsideSMX)
        }
    }

    // MARK: - vCPUs

    /// Sets up a VMCS (SDM 24.11.3 "Initializing a VMCS", 31.5 "VMM setup"):
    ///   1. allocate the VMCS region (revision identifier first);
    ///   2. VMCLEAR it (launch state "clear") and VMPTRLD it (make it current);
    ///   3. execution controls: pin-based, processor-based, secondary; no
    ///      exceptions intercepted; the MSR bitmap; the EPT pointer;
    ///   4. exit and entry controls, with empty MSR load/store lists and no
    ///      event to inject;
    ///   5. the host-state area (VMXHostState);
    ///   6. the guest-state area in the PVH start state (VMXGuestState);
    ///   7. INVEPT, so no stale translation for this EPT root survives, and
    ///      INVVPID of the vCPU's VPID, which an ended domain may have used.
    func createVCPU(_ vcpu: VCPU, entryPoint: UInt32, nestedPagingRoot: UInt64,
                    ioPorts: IOPortBitmap?) throws(VirtualizationError) {
        guard isOn else { throw .hardwareRefused("VMX is not on (enable() first)") }
        guard nestedPagingRoot & 0xFFF == 0 else { throw .unsupported("EPT PML4 not page-aligned") }
        let settled = try settledControls()
        let bitmap = msrBitmap ?? VMXMSRBitmap.make()
        msrBitmap = bitmap
        let allPortsExit = sharedIOPortBitmap ?? IOPortBitmap(allowing: [])
        sharedIOPortBitmap = allPortsExit
        let ioBitmaps = (ioPorts ?? allPortsExit).machineAddress

        // 1.
        let memory = VMXVCPUMemory.allocate(revisionIdentifier: capabilities.revisionIdentifier)
        let vmcs = UInt64(UInt(bitPattern: memory))

        // 2.
        guard vmx_clear(vmcs), vmx_pointer_load(vmcs) else {
            memory.deallocate()
            throw .hardwareRefused("VMCLEAR/VMPTRLD of a new VMCS failed")
        }
        currentVMCS = vmcs
        activeVMCSs.append(vmcs)

        var write = VMCSWriter()
        // 3.
        write(.pinBasedControls, settled.pinBased)
        write(.primaryProcessorControls, settled.primary)
        write(.secondaryProcessorControls, settled.secondary)
        write(.exceptionBitmap, UInt32(0))
        write(.pageFaultErrorCodeMask, UInt32(0))
        write(.pageFaultErrorCodeMatch, UInt32(0))
        write(.cr3TargetCount, UInt32(0))
        write(.msrBitmap, UInt64(UInt(bitPattern: bitmap)))
        write(.ioBitmapA, ioBitmaps)
        write(.ioBitmapB, ioBitmaps + 4096)
        write(.eptPointer, VMXEPTPointer.make(root: nestedPagingRoot))
        if settled.usesVPID { write(.virtualProcessorIdentifier, Self.virtualProcessorIdentifier(vcpu)) }

        // 4.
        write(.exitControls, settled.exit)
        write(.exitMSRStoreCount, UInt32(0))
        write(.exitMSRLoadCount, UInt32(0))
        write(.entryControls, settled.entry)
        write(.entryMSRLoadCount, UInt32(0))
        write(.entryInterruptionInformation, UInt32(0))

        // 5. and 6.
        VMXHostState.write(&write)
        VMXGuestState.write(&write, entryPoint: entryPoint, controlRegisters: controlRegisters)

        if let failure = write.firstFailure {
            destroy(vmcs: vmcs, memory: memory)
            throw .hardwareRefused("VMWRITE to VMCS field \(hex(UInt64(failure.field.rawValue), digits: 4)) failed (VM-instruction error \(failure.error))")
        }

        // 7.
        invalidateEPT(VMXEPTPointer.make(root: nestedPagingRoot))
        if settled.usesVPID { _ = vmx_invvpid(1, Self.virtualProcessorIdentifier(vcpu)) }

        vcpu.controlBlock = vmcs
        vcpu.launched = false
    }

    func destroyVCPU(_ vcpu: VCPU) {
        systemRegisters.forget(vcpu)
        guard vcpu.controlBlock != 0 else { return }
        destroy(vmcs: vcpu.controlBlock, memory: UnsafeMutableRawPointer(bitPattern: UInt(vcpu.controlBlock))!)
        vcpu.controlBlock = 0
        vcpu.launched = false
    }

    private func destroy(vmcs: UInt64, memory: UnsafeMutableRawPointer) {
        if isOn { _ = vmx_clear(vmcs) }
        if currentVMCS == vmcs { currentVMCS = 0 }
        activeVMCSs.removeAll { $0 == vmcs }
        memory.deallocate()
    }

    private func settledControls() throws(VirtualizationError) -> VMXControls {
        if let controls { return controls }
        let settled = try VMXControls.forPVHGuest(capabilities)
        controls = settled
        return settled
    }

    /// The VPID tags the TLB entries of one vCPU (SDM 28.1); 0 is the
    /// host's. A domain has one vCPU, so one per domain: domain ID + 1
    /// (domain IDs stop below DOMID_FIRST_RESERVED, 0x7FF0).
    static func virtualProcessorIdentifier(_ vcpu: VCPU) -> UInt16 {
        UInt16(truncatingIfNeeded: Int(vcpu.domainID) + 1)
    }

    /// INVEPT of one EPTP if the CPU offers that, else of all (SDM 28.4.3.1).
    private func invalidateEPT(_ eptp: UInt64) {
        guard capabilities.hasINVEPT else { return }
        if capabilities.hasSingleContextINVEPT {
            _ = vmx_invept(1, eptp)
        } else if capabilities.hasAllContextINVEPT {
            _ = vmx_invept(2, 0)
        }
    }

    /// VMREAD/VMWRITE act on the current VMCS: make `vcpu`'s current.
    @discardableResult @inline(__always)
    private func makeCurrent(_ vcpu: VCPU) -> Bool {
        if currentVMCS == vcpu.controlBlock { return true }
        guard vcpu.controlBlock != 0, vmx_pointer_load(vcpu.controlBlock) else { return false }
        currentVMCS = vcpu.controlBlock
        return true
    }

    // MARK: - Running

    /// Enters the guest and returns its exit, for Core to handle; a failed
    /// entry comes back as `.hardware` with the SDM's reason. What it
    /// calls on the way of every exit is inlined into it, so the only
    /// call left is the one through the backend protocol. It is not
    /// inlined into the protocol's thunk itself: LLVM does not inline the
    /// C helpers (VMREAD, VMWRITE, RDTSC) into thunks, so each would be a
    /// call again (seen in the disassembly).
    func run(_ vcpu: VCPU) -> VMExit {
        guard makeCurrent(vcpu) else {
            return VMExit(reason: .hardware(code: 0), instructionLength: 0,
                          hardwareName: "VMPTRLD failed (no VMCS for this vCPU)", hardwareCode: 0)
        }
        systemRegisters.loadValues(of: vcpu)
        if controls?.usesPreemptionTimer == true { armPreemptionTimer() }
        let status = vmx_enter(UnsafeMutableRawPointer(vcpu.registers), vcpu.launched ? 1 : 0,
                               vcpu.floatingPoint.area)
        guard status == UInt64(VMX_ENTER_EXITED) else {
            let exit = VMXExitDecoder.failedEntry(
                instructionError: status == UInt64(VMX_ENTER_FAIL_INVALID) ? nil : VMCS.instructionError)
            reportFailedEntry(exit)
            return exit
        }
        let exitReason = VMCS.read32(.exitReason)
        if exitReason & VMXExitReason.entryFailureBit != 0 {
            let exit = VMXExitDecoder.failedGuestEntry(exitReason: exitReason)
            reportFailedEntry(exit)
            return exit
        }
        vcpu.launched = true
        afterExit()
        switch UInt16(truncatingIfNeeded: exitReason) {
        case VMXExitReason.externalInterrupt: endInterrupt()
        case VMXExitReason.interruptWindow: VMXInterruptInjection.windowOpened()
        default: break
        }
        return VMXExitDecoder.decode(exitReason: exitReason, fields: CurrentVMCS())
    }

    /// Bookkeeping every exit needs before anyone looks at it.
    ///
    /// - An exit in the middle of delivering an event to the guest (an
    ///   interrupt or exception whose delivery hit an EPT violation, say)
    ///   records it in the IDT-vectoring fields; unless it is delivered again
    ///   on the next entry it is lost (SDM 27.2.4). So it is queued
    ///   again here; Core may still override it with `injectException`.
    /// - "IA-32e mode guest" must equal the guest's EFER.LMA at the next entry
    ///   (SDM 26.3.1.1). CPUs with unrestricted guest copy it on every exit
    ///   (IA32_VMX_MISC bit 5); on any other, do it here.
    @inline(__always)
    private func afterExit() {
        let vectoring = VMCS.read32(.idtVectoringInformation)
        if vectoring & (1 << 31) != 0 {
            // Bits 30:12 must be 0 in the entry field (bit 12 is undefined here).
            VMCS.write(.entryInterruptionInformation, vectoring & 0x8000_0FFF)
            if vectoring & (1 << 11) != 0 {
                VMCS.write(.entryExceptionErrorCode, VMCS.read(.idtVectoringErrorCode))
            }
            // Software interrupts and exceptions need their instruction length.
            VMCS.write(.entryInstructionLength, VMCS.read(.exitInstructionLength))
        }
        if !capabilities.exitStoresLongModeActive {
            let longModeActive = VMCS.read(.guestEFER) & (1 << 10) != 0
            let entry = VMCS.read32(.entryControls)
            let wanted = longModeActive ? entry | VMXControls.Entry.ia32eModeGuest : entry & ~VMXControls.Entry.ia32eModeGuest
            if wanted != entry { VMCS.write(.entryControls, wanted) }
        }
    }

    /// An external-interrupt exit with "acknowledge interrupt on exit" took
    /// the interrupt from the APIC already (SDM 27.2.2): its vector is in
    /// the exit interruption information (bit 31 valid), and the APIC
    /// delivers nothing more of that priority until our EOI. The only
    /// source is the APIC timer; Core only needs to know the guest exited.
    private func endInterrupt() {
        let information = VMCS.read32(.exitInterruptionInformation)
        guard information & (1 << 31) != 0 else { return }
        LocalAPIC.endOfInterrupt(vector: UInt8(truncatingIfNeeded: information))
    }

    /// The VMX-preemption timer (SDM 25.5.1) makes the guest exit at the
    /// time the scheduler armed the APIC timer for. The APIC timer alone
    /// would do on hardware: external-interrupt exiting ignores the guest's
    /// RFLAGS.IF. Bochs 2.7 gets that wrong for a guest that runs with
    /// interrupts off (it re-evaluates interrupt masking only when IF
    /// changes, and VM entry loads the guest's IF before it counts as a
    /// guest); the preemption timer works whatever IF is. It counts down
    /// once every 2^n TSC ticks (n: IA32_VMX_MISC bits 4:0), and is
    /// reloaded here before every entry, from the deadline's TSC value
    /// (LocalAPICTimer.armed): a subtraction and a shift, on every exit.
    @inline(__always)
    private func armPreemptionTimer() {
        let now = read_tsc()
        let deadline = LocalAPICTimer.armed.timeStampCounter
        let remaining = deadline > now ? deadline - now : 0
        let value = min((remaining >> capabilities.preemptionTimerShift) + 1, UInt64(UInt32.max))
        VMCS.write(.guestPreemptionTimerValue, UInt32(truncatingIfNeeded: value))
    }

    /// A failed entry is a bug in the VMCS setup or in what Core changed:
    /// log the state that VM entry checks most, for the crash report.
    private func reportFailedEntry(_ exit: VMExit) {
        Log.error("VMX: \(exit.hardwareName) (\(hex(exit.hardwareCode, digits: 8))), exit qualification \(hex(VMCS.read(.exitQualification)))")
        Log.error("VMX:   guest RIP \(hex(VMCS.read(.guestRIP))) CR0 \(hex(VMCS.read(.guestCR0))) CR4 \(hex(VMCS.read(.guestCR4))) EFER \(hex(VMCS.read(.guestEFER)))")
        Log.error("VMX:   entry controls \(hex(VMCS.read(.entryControls), digits: 8)) CS access rights \(hex(VMCS.read(.guestCSAccessRights), digits: 8)) event \(hex(VMCS.read(.entryInterruptionInformation), digits: 8))")
    }

    // MARK: - Guest state for Core

    func controlState(_ vcpu: VCPU) -> GuestControlState {
        guard makeCurrent(vcpu) else { return GuestControlState() }
        return GuestControlState(
            rip: VMCS.read(.guestRIP),
            rsp: VMCS.read(.guestRSP),
            rflags: VMCS.read(.guestRFLAGS),
            cr0: VMXControlRegisters.guestView(real: VMCS.read(.guestCR0), shadow: VMCS.read(.cr0ReadShadow),
                                               mask: controlRegisters.cr0Mask),
            cr3: VMCS.read(.guestCR3),
            cr4: VMXControlRegisters.guestView(real: VMCS.read(.guestCR4), shadow: VMCS.read(.cr4ReadShadow),
                                               mask: controlRegisters.cr4Mask),
            efer: VMCS.read(.guestEFER),
            // CPL is SS.DPL (SDM 24.4.1).
            privilegeLevel: VMXGuestState.AccessRights.privilegeLevel(VMCS.read32(.guestSSAccessRights)))
    }

    func codeSegment(_ vcpu: VCPU) -> CodeSegment {
        guard makeCurrent(vcpu) else { return CodeSegment() }
        let rights = VMCS.read32(.guestCSAccessRights)
        return CodeSegment(base: VMCS.read(.guestCSBase),
                           long: rights & VMXGuestState.AccessRights.longModeBit != 0,
                           default32: rights & VMXGuestState.AccessRights.defaultSizeBit != 0)
    }

    func setInstructionPointer(_ vcpu: VCPU, _ rip: UInt64) {
        guard makeCurrent(vcpu) else { return }
        VMXGuestAccess.setInstructionPointer(rip)
    }

    func setStackPointer(_ vcpu: VCPU, _ rsp: UInt64) {
        guard makeCurrent(vcpu) else { return }
        VMCS.write(.guestRSP, rsp)
    }

    /// Makes the CR4 guest/host mask own every other bit (written into each
    /// VMCS at createVCPU), so that a MOV to CR4 setting one exits.
    func setPermittedControlRegister4Bits(_ bits: UInt64) {
        controlRegisters.permitControlRegister4(bits)
    }

    /// Core allowed the value: the read shadow takes it for the bits the
    /// host owns, and the guest runs its MOV again, which now does not
    /// exit; the CPU applies the other bits with its own checks, TLB
    /// flushes and mode changes (VMXControlRegisters).
    /// CR0 and CR4: the guest's view goes into the read shadow and the MOV
    /// runs again, natively now, so the CPU checks and performs it
    /// (VMXControlRegisters). CR3: with EPT the guest's CR3 is only a value
    /// in the VMCS, except under 32-bit PAE paging, where a new CR3 would
    /// also need its four PDPTEs loaded into the VMCS (SDM 26.3.2.4), which
    /// this backend does not do.
    func writeControlRegister(_ vcpu: VCPU, _ number: UInt8, _ value: UInt64) -> ControlRegisterWriteCompletion {
        guard makeCurrent(vcpu) else { return .notEmulated("no VMCS for this vCPU") }
        switch number {
        case 0:
            VMCS.write(.cr0ReadShadow, value)
            return .executeAgain
        case 3:
            let paging = VMCS.read(.guestCR0) & VMXControlRegisters.cr0Paging != 0
            let physicalAddressExtension = VMCS.read(.guestCR4) & (1 << 5) != 0
            let longMode = VMCS.read(.guestEFER) & (1 << 10) != 0
            if paging && physicalAddressExtension && !longMode { return .notEmulated("a new CR3 under PAE paging") }
            VMCS.write(.guestCR3, value)
            return .written
        case 4:
            VMCS.write(.cr4ReadShadow, value)
            return .executeAgain
        default:
            return .notEmulated("no such control register")
        }
    }

    /// Never needed in practice: EFER does not exit under VMX (the VMCS
    /// loads and saves it, VMXMSRBitmap); written like any guest field.
    func setExtendedFeatureEnable(_ vcpu: VCPU, _ value: UInt64) {
        guard makeCurrent(vcpu) else { return }
        VMCS.write(.guestEFER, value)
    }

    func advanceInstructionPointer(_ vcpu: VCPU, by length: UInt8) {
        guard makeCurrent(vcpu) else { return }
        VMXGuestAccess.advanceInstructionPointer(by: UInt64(length))
    }

    func injectException(_ vcpu: VCPU, vector: UInt8, errorCode: UInt32?) {
        guard makeCurrent(vcpu) else { return }
        VMXGuestAccess.injectException(vector: vector, errorCode: errorCode)
    }

    func injectInterrupt(_ vcpu: VCPU, vector: UInt8) -> InterruptInjection {
        guard makeCurrent(vcpu) else { return .waitingForWindow }
        return VMXInterruptInjection.inject(vector: vector)
    }
}

extension VMXBackend {
    func flushNestedTranslations(_ vcpu: VCPU) {
        guard vcpu.controlBlock != 0, makeCurrent(vcpu) else { return }
        invalidateEPT(VMCS.read(.eptPointer))
    }
}

func yesNo(_ value: Bool) -> String { value ? "yes" : "no" }
