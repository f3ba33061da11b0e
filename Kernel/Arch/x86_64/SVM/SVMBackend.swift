import Support

/// AMD-V (SVM): runs PVH guests with nested paging (AMD APM Vol. 2,
/// chapter 15). Per vCPU there is one VMCB; shared by all vCPUs are the I/O
/// and MSR permission maps (every port intercepted; MSRs as listed in
/// `SVMPermissionMaps`) and the host-state page VMSAVE/VMLOAD use.
final class SVMBackend: VirtualizationBackend {
    let name = "SVM"
    let nestedPageFormat = PageTableFormat.npt
    let hypercallInstruction: [UInt8] = [0x0F, 0x01, 0xD9]      // VMMCALL

    /// CPUID 8000000Ah: EBX = number of ASIDs, EDX = feature bits.
    private let addressSpaceIdentifiers: UInt32
    private let featureBits: UInt32
    private var hostSaveArea: UnsafeMutableRawPointer?
    private var hostState: UnsafeMutableRawPointer?
    private var permissionMaps: SVMPermissionMaps?
    private var isOn = false
    /// TSC_AUX of the vCPU this CPU runs (VMRUN and VMLOAD switch the rest).
    private var systemRegisters = GuestSystemRegisterSwitch(scope: .timeStampCounterAuxOnly)

    private static let svmEnable: UInt64 = 1 << 12           // EFER.SVME
    private static let svmDisabled: UInt64 = 1 << 4          // VM_CR.SVMDIS

    init() {
        let leaf = cpuid(0x8000_000A, 0)
        addressSpaceIdentifiers = leaf.ebx
        featureBits = leaf.edx
    }

    var hasNestedPaging: Bool { featureBits & (1 << 0) != 0 }
    var hasNextRIPSave: Bool { featureBits & (1 << 3) != 0 }

    var capabilitySummary: [String] {
        ["NPT \(yesNo(hasNestedPaging)), NRIP-save \(yesNo(hasNextRIPSave)), \(addressSpaceIdentifiers) ASIDs"]
    }

    var unusableReason: String? {
        hasNestedPaging ? nil : "the CPU has no nested paging (NPT)"
    }

    func enable() throws(VirtualizationError) {
        if msr_read(ModelSpecificRegister.svmVMCR) & Self.svmDisabled != 0 {
            throw .disabledByFirmware("VM_CR.SVMDIS is set")
        }
        let efer = msr_read(ModelSpecificRegister.extendedFeatureEnable)
        msr_write(ModelSpecificRegister.extendedFeatureEnable, efer | Self.svmEnable)
        // VMRUN saves host state into this page; it must be set before the
        // first VMRUN and stays the hardware's.
        let area = hostSaveArea ?? allocateZeroed(bytes: 4096, alignment: 4096)
        hostSaveArea = area
        msr_write(ModelSpecificRegister.svmHostSaveArea, physicalAddress(area))
        if hostState == nil { hostState = allocateZeroed(bytes: 4096, alignment: 4096) }
        // The host's FS/GS/TR/LDTR and system-call MSRs are set for good by
        // now (GlobalDescriptorTable.install): saved once, loaded after
        // every exit (SVMEntry.S).
        svm_save_host_state(physicalAddress(hostState!))
        if permissionMaps == nil { permissionMaps = SVMPermissionMaps() }
        isOn = true
    }

    func disable() {
        guard isOn else { return }
        let efer = msr_read(ModelSpecificRegister.extendedFeatureEnable)
        msr_write(ModelSpecificRegister.extendedFeatureEnable, efer & ~Self.svmEnable)
        isOn = false
    }

    // MARK: - vCPUs

    func createVCPU(_ vcpu: VCPU, entryPoint: UInt32, nestedPagingRoot: UInt64,
                    ioPorts: IOPortBitmap?) throws(VirtualizationError) {
        guard let maps = permissionMaps else { throw .unsupported("SVM is not enabled") }
        let page = allocateZeroed(bytes: 4096, alignment: 4096)
        vcpu.controlBlock = physicalAddress(page)
        let vmcb = VMCB(physicalAddress: vcpu.controlBlock)
        SVMGuestSetup.writeControls(vmcb, maps: maps, ioPermissionMap: ioPorts?.machineAddress ?? maps.ioMap,
                                    nestedPagingRoot: nestedPagingRoot, asid: asid(for: vcpu))
        SVMGuestSetup.writePVHStartState(vmcb, entryPoint: entryPoint)
    }

    func destroyVCPU(_ vcpu: VCPU) {
        systemRegisters.forget(vcpu)
        guard vcpu.controlBlock != 0 else { return }
        UnsafeMutableRawPointer(bitPattern: UInt(vcpu.controlBlock))!.deallocate()
        vcpu.controlBlock = 0
    }

    /// One ASID per domain (ASID 0 is the host's), so guests never see each
    /// other's TLB entries. Domains beyond the hardware's count share, with
    /// a TLB flush on every entry.
    private func asid(for vcpu: VCPU) -> UInt32 {
        let wanted = UInt32(vcpu.domainID) + 1
        return wanted < addressSpaceIdentifiers ? wanted : 1
    }

    // MARK: - Running

    // The calls on every exit (this and advanceInstructionPointer) are inlined into their protocol
    // witnesses, so that Core's call through the protocol is the only call.
    @inline(__always)
    func run(_ vcpu: VCPU) -> VMExit {
        let vmcb = VMCB(physicalAddress: vcpu.controlBlock)
        if systemRegisters.loadValues(of: vcpu) {
            // VMRUN loads CR2 from the VMCB (APM 15.5.1), but Bochs 2.7's
            // does not: it only saves it at #VMEXIT, so a guest would find
            // the previous guest's CR2. Loading it here when the CPU changes
            // vCPU costs nothing on hardware, where VMRUN does it again.
            write_cr2(vmcb.read64(VMCB.cr2))
        }
        vmcb.write64(VMCB.rax, vcpu.registers.pointee.rax)
        _ = svm_run(vcpu.controlBlock, UnsafeMutableRawPointer(vcpu.registers), physicalAddress(hostState!),
                    vcpu.floatingPoint.area)
        vcpu.registers.pointee.rax = vmcb.read64(VMCB.rax)
        // An event whose delivery the exit cut short (a nested page fault on
        // the guest's stack, say) is in EXITINTINFO, in EVENTINJ's format:
        // unless it goes in again, it is lost (APM 15.7.2). Any other
        // injected event was delivered.
        let interrupted = vmcb.read64(VMCB.exitInterruptInfo)
        vmcb.write64(VMCB.eventInjection, interrupted & (1 << 31) != 0 ? interrupted : 0)
        vmcb.write8(VMCB.tlbControl, 0)
        let exit = SVMExitDecoder.decode(vmcb)
        if case .interruptWindow = exit.reason { SVMInterruptInjection.windowOpened(vmcb) }
        return exit
    }

    func controlState(_ vcpu: VCPU) -> GuestControlState {
        let vmcb = VMCB(physicalAddress: vcpu.controlBlock)
        return GuestControlState(
            rip: vmcb.read64(VMCB.rip), rsp: vmcb.read64(VMCB.rsp), rflags: vmcb.read64(VMCB.rflags),
            cr0: vmcb.read64(VMCB.cr0), cr3: vmcb.read64(VMCB.cr3), cr4: vmcb.read64(VMCB.cr4),
            efer: vmcb.read64(VMCB.efer) & ~Self.svmEnable, privilegeLevel: vmcb.read8(VMCB.cpl))
    }

    func codeSegment(_ vcpu: VCPU) -> CodeSegment {
        let vmcb = VMCB(physicalAddress: vcpu.controlBlock)
        // CS attributes in the VMCB's packed form: L is bit 9, D bit 10.
        let attributes = vmcb.read16(VMCB.cs + 2)
        return CodeSegment(base: vmcb.read64(VMCB.cs + 8), long: attributes & (1 << 9) != 0,
                           default32: attributes & (1 << 10) != 0)
    }

    /// Moves RIP, as after emulating an instruction. The one-instruction
    /// interrupt shadow of a preceding STI or MOV SS ends with the emulated
    /// instruction, so it is cleared too, as VMX's backend does. Left set,
    /// it would cover the next instruction instead: after `sti; hlt`, the
    /// upcall could not be injected (SVMInterruptInjection waits out the
    /// shadow), and a `cli` right after the HLT would close the window
    /// before it opened, so the guest would HLT again and again without
    /// ever taking the interrupt (APM Vol. 2, 15.21.5; Xen clears it too
    /// when it moves RIP).
    @inline(__always)
    func setInstructionPointer(_ vcpu: VCPU, _ rip: UInt64) {
        let vmcb = VMCB(physicalAddress: vcpu.controlBlock)
        vmcb.write64(VMCB.rip, rip)
        SVMInterruptInjection.endInterruptShadow(vmcb)
    }

    /// EFER is intercepted under SVM because VMRUN refuses a guest EFER
    /// without SVME (APM 15.5.1): the VMCB keeps SVME set, and the guest's
    /// view (`controlState`) leaves it out. NXE changes what a guest
    /// translation means, so the guest's TLB entries go too.
    func setExtendedFeatureEnable(_ vcpu: VCPU, _ value: UInt64) {
        VMCB(physicalAddress: vcpu.controlBlock).write64(VMCB.efer, value | Self.svmEnable)
        flushNestedTranslations(vcpu)
    }

    func setStackPointer(_ vcpu: VCPU, _ rsp: UInt64) {
        VMCB(physicalAddress: vcpu.controlBlock).write64(VMCB.rsp, rsp)
    }

    /// Nothing to set up: every MOV to CR4 exits (SVMGuestSetup), so Core
    /// sees every value before the VMCB does.
    func setPermittedControlRegister4Bits(_ bits: UInt64) {}

    /// The guest's CR4 is the VMCB's. A real MOV to CR4 flushes TLB entries
    /// when paging bits change (PGE, PAE, PSE, PCIDE, SMEP, ...); emulated,
    /// it must flush them itself: this guest's ASID, on the next VMRUN.
    /// CR0 and CR3 writes are not intercepted (SVMGuestSetup), so they
    /// never come here.
    func writeControlRegister(_ vcpu: VCPU, _ number: UInt8, _ value: UInt64) -> ControlRegisterWriteCompletion {
        guard number == 4 else { return .notEmulated("not intercepted under SVM") }
        VMCB(physicalAddress: vcpu.controlBlock).write64(VMCB.cr4, value)
        flushNestedTranslations(vcpu)
        return .written
    }

    func injectInterrupt(_ vcpu: VCPU, vector: UInt8) -> InterruptInjection {
        SVMInterruptInjection.inject(vector: vector, into: VMCB(physicalAddress: vcpu.controlBlock))
    }

    @inline(__always)
    func advanceInstructionPointer(_ vcpu: VCPU, by length: UInt8) {
        let vmcb = VMCB(physicalAddress: vcpu.controlBlock)
        setInstructionPointer(vcpu, vmcb.read64(VMCB.rip) &+ UInt64(length))
    }

    func injectException(_ vcpu: VCPU, vector: UInt8, errorCode: UInt32?) {
        VMCB(physicalAddress: vcpu.controlBlock).write64(
            VMCB.eventInjection, SVMEventInjection.exception(vector: vector, errorCode: errorCode))
    }
}

extension SVMBackend {
    /// TLB_CONTROL 3: flush this guest's (ASID's) entries on the next VMRUN.
    func flushNestedTranslations(_ vcpu: VCPU) {
        guard vcpu.controlBlock != 0 else { return }
        VMCB(physicalAddress: vcpu.controlBlock).write8(VMCB.tlbControl, 3)
    }
}
