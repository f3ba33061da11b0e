import XenPublic

/// Handles one VM exit, the same way for VMX and SVM.
///
/// Each handler says what happened to the instruction that exited:
/// `completed` (RIP moves past it, here, in one place: no handler can
/// forget), `retry` (RIP stays: an exception was injected, or nothing was
/// executed), or `crash` (the guest misbehaved; the domain is stopped with a
/// report and everything else goes on).
enum ExitOutcome {
    /// Done; RIP moves by the length the hardware reported with the exit.
    case completed
    /// Done; RIP moves by this length, which Core found by decoding the
    /// instruction itself (the hardware gives none for the exit).
    case completedWithLength(UInt8)
    case retry
    case crash(String)
}

/// The scheduler makes one per slice: everything an exit needs is looked
/// up here once, not on every exit (each look-up of a class reference
/// costs a retain and a release).
struct VMExitHandler {
    let hypervisor: Hypervisor
    let domain: Domain
    let vcpu: VCPU
    let backend: VirtualizationBackend
    /// What hypercall handlers get, made once per slice too.
    let hypercallContext: HypercallContext

    init(hypervisor: Hypervisor, domain: Domain, vcpu: VCPU) {
        self.hypervisor = hypervisor
        self.domain = domain
        self.vcpu = vcpu
        self.backend = hypervisor.backend
        self.hypercallContext = HypercallContext(hypervisor: hypervisor, domain: domain, vcpu: vcpu)
    }

    private var registers: UnsafeMutablePointer<GuestRegisters> { vcpu.registers }

    /// For the exits where Core decodes the instruction at RIP itself.
    var instructionFetchState: InstructionFetchState {
        InstructionFetchState(control: backend.controlState(vcpu), codeSegment: backend.codeSegment(vcpu))
    }

    /// Handles the exit and says whether the scheduler must look at the
    /// clock and the timers before the next entry (SchedulingEffect).
    @discardableResult @inline(__always)
    func handle(_ exit: VMExit) -> SchedulingEffect {
        vcpu.exitCount += 1
        domain.exitCounters.count(exit.reason.kind)
        var effect = Self.schedulingEffect(of: exit.reason)
        switch outcome(of: exit, &effect) {
        case .completed:
            advance(by: exit.instructionLength, exit)
        case .completedWithLength(let length):
            advance(by: length, exit)
        case .retry:
            break
        case .crash(let reason):
            crash(reason, exit)
            return .mayReschedule
        }
        return effect
    }

    /// What an exit of this kind can change for the scheduler; a
    /// hypercall's row says for itself (HypercallTable). Interrupts and
    /// timers are why the scheduler looks; HLT blocks; an MSR write may
    /// program the APIC timer or send an IPI; a nested page fault may be
    /// an emulated APIC access. CPUID, I/O ports, MSR reads, control
    /// registers and an interrupt window (the scheduler injects what is
    /// owed before every entry anyway) change nothing it watches.
    private static func schedulingEffect(of reason: VMExitReason) -> SchedulingEffect {
        switch reason {
        case .cpuid, .ioPort, .msrRead, .controlRegisterRead, .controlRegisterWrite,
             .interruptWindow, .unsupportedInstruction:
            return .none
        case .hypercall, .halt, .msrWrite, .nestedPageFault, .externalInterrupt, .timer,
             .taskSwitch, .exception, .tripleFault, .hardware:
            return .mayReschedule
        }
    }

    @inline(__always)
    private func advance(by length: UInt8, _ exit: VMExit) {
        guard length > 0 else {
            return crash("the backend gave no instruction length for a \(exit.hardwareName) exit", exit)
        }
        backend.advanceInstructionPointer(vcpu, by: length)
    }

    @inline(__always)
    private func outcome(of exit: VMExit, _ effect: inout SchedulingEffect) -> ExitOutcome {
        switch exit.reason {
        case .cpuid: return cpuid()
        case .hypercall(let mode): return hypercall(mode, &effect)
        case .halt: return halt()
        case .ioPort(let port, let size, let isWrite): return ioPort(port, size: size, isWrite: isWrite)
        case .msrRead: return msrRead()
        case .msrWrite: return msrWrite()
        case .nestedPageFault(let address, let access):
            return nestedPageFault(at: address, access)
        case .controlRegisterWrite(let number, let sourceRegister):
            return controlRegisterWrite(number, sourceRegister: sourceRegister, exit)
        case .controlRegisterRead(let number, let destinationRegister):
            return controlRegisterRead(number, destinationRegister: destinationRegister, exit)
        case .taskSwitch(let selector):
            // Only legacy protected mode has hardware task switches; Xen
            // emulates them for HVM guests, a PVH guest never needs one.
            return .crash("task switch (not emulated), to TSS selector \(hex(UInt64(selector), digits: 4))")
        case .externalInterrupt, .timer:
            // The backend has acknowledged the interrupt; the scheduler
            // looks at the clock after every exit (slice end, vCPU timers).
            return .retry
        case .interruptWindow:
            // Nothing to do here: before the next entry the scheduler asks
            // again for the interrupt that is owed, and now it goes in.
            return .retry
        case .exception(let vector, let errorCode):
            return .crash("unexpected exception \(vector) (error code \(errorCode.map { hex(UInt64($0), digits: 4) } ?? "none"))")
        case .tripleFault:
            return .crash("triple fault")
        case .unsupportedInstruction:
            backend.injectException(vcpu, vector: 6, errorCode: nil)     // #UD, as on hardware without it
            return .retry
        case .hardware(let code):
            return .crash("\(exit.hardwareName) (hardware code \(hex(code, digits: 4)))")
        }
    }

    // MARK: - CPUID

    @inline(__always)
    private func cpuid() -> ExitOutcome {
        let values = CPUIDPolicy.guestValues(leaf: UInt32(truncatingIfNeeded: registers.pointee.rax),
                                             subleaf: UInt32(truncatingIfNeeded: registers.pointee.rcx),
                                             apicID: vcpu.localAPIC.id, domainID: vcpu.domainID,
                                             host: hypervisor.hostCPUID)
        registers.pointee.rax = UInt64(values.eax)
        registers.pointee.rbx = UInt64(values.ebx)
        registers.pointee.rcx = UInt64(values.ecx)
        registers.pointee.rdx = UInt64(values.edx)
        return .completed
    }

    // MARK: - Hypercalls

    @inline(__always)
    private func hypercall(_ mode: GuestExecutionMode, _ effect: inout SchedulingEffect) -> ExitOutcome {
        // Hypercalls are for the guest kernel; Xen refuses them from user mode.
        guard mode.privilegeLevel == 0 else {
            registers.pointee.rax = HypercallError.notPermitted.returnValue
            effect = .none
            return .completed
        }
        if Log.threshold >= .debug { return tracedHypercall(mode, &effect) }
        let completion = HypercallDispatcher.dispatch(registers, longMode: mode.longModeActive, hypercallContext)
        return complete(completion, mode, &effect)
    }

    /// The same with `loglvl=debug`: each hypercall logged with its
    /// arguments as they came, e.g. "d0: xen_version(0x0, 0x0, 0x0) = 262163".
    private func tracedHypercall(_ mode: GuestExecutionMode, _ effect: inout SchedulingEffect) -> ExitOutcome {
        let call = HypercallArguments(registers: registers.pointee, longMode: mode.longModeActive)
        let completion = HypercallDispatcher.dispatch(call, hypercallContext)
        Log.debug("d\(domain.id): \(HypercallTable.name(of: call.number))(\(hex(call.first, digits: 1)), \(hex(call.second, digits: 1)), \(hex(call.third, digits: 1))) = \(Int64(bitPattern: completion.value))")
        return complete(completion, mode, &effect)
    }

    /// The result goes back in RAX; a 32-bit guest sees only EAX, so the
    /// upper half is cleared for it, as the CPU would.
    @inline(__always)
    private func complete(_ completion: HypercallCompletion, _ mode: GuestExecutionMode,
                          _ effect: inout SchedulingEffect) -> ExitOutcome {
        registers.pointee.rax = mode.longModeActive ? completion.value : completion.value & 0xFFFF_FFFF
        effect = completion.schedulingEffect
        return .completed
    }

    // MARK: - HLT

    /// HLT waits for an interrupt. With interrupts on, it is SCHEDOP_block:
    /// the vCPU sleeps until an event or its timer, unless an interrupt is
    /// owed already (Domain.block). With interrupts off, nothing can ever
    /// wake it: as in Xen, the vCPU is down, and a domain whose vCPUs are all
    /// down has powered off (a guest's last `cli; hlt`).
    private func halt() -> ExitOutcome {
        let interruptsEnabled = backend.controlState(vcpu).rflags & (1 << 9) != 0
        guard interruptsEnabled else {
            vcpu.isDown = true
            if domain.vcpus.allSatisfy({ $0.isDown }) {
                Log.info("d\(domain.id) (\(domain.name)): every vCPU halted with interrupts off: powered off, as in Xen")
                domain.state = .shutdown(reason: UInt32(SHUTDOWN_poweroff))
            }
            return .completed
        }
        domain.block(vcpu)
        return .completed
    }

    // MARK: - I/O ports

    /// Port policy: there are no emulated devices. Reads see an empty bus
    /// (all ones), writes are dropped, except port 0xE9, Xen's and Bochs'
    /// debug port, whose bytes go to the domain's console.
    private func ioPort(_ port: UInt16, size: UInt8, isWrite: Bool) -> ExitOutcome {
        if isWrite {
            if port == 0xE9 {
                ConsoleIOHypercall.append(UInt8(truncatingIfNeeded: registers.pointee.rax), to: domain)
            }
        } else {
            // IN AL/AX merges into RAX; IN EAX zero-extends (a 32-bit write).
            let mask: UInt64 = size >= 4 ? 0xFFFF_FFFF : (1 << (UInt64(size) * 8)) - 1
            registers.pointee.rax = size >= 4 ? mask : (registers.pointee.rax & ~mask) | mask
        }
        return .completed
    }

    // MARK: - MSRs

    /// MSR policy: the hypercall MSR is ours; the MSRs a guest owns (FS/GS
    /// base, KERNEL_GS_BASE, SYSENTER, STAR/LSTAR/CSTAR/SFMASK, TSC_AUX)
    /// never exit here, on either vendor: the hardware or the backend
    /// switches them (Docs/ABI.md lists them); EFER exits on SVM only and
    /// is checked here (ExtendedFeatureEnable); IA32_PAT is kept per
    /// vCPU (PageAttributeTable); IA32_MISC_ENABLE reads as one fixed value
    /// (MiscellaneousEnable), IA32_DEBUGCTL as 0 (DebugControl);
    /// IA32_APIC_BASE says the APIC is on in x2APIC mode (LocalAPICBase),
    /// and 0x800-0x8FF are the vCPU's virtual APIC's registers
    /// (VirtualAPIC+MSR, which decides its own #GP cases); everything
    /// else gets #GP, which is what a guest sees for an MSR the CPU lacks. CPUIDPolicy hides the features
    /// whose MSRs would fault, so a guest that believes CPUID never meets one.
    private func msrRead() -> ExitOutcome {
        // LAB 3 BEGIN: the MSR read policy: which MSRs a guest may read, what it reads, #GP for the rest
        // LAB 3 STUB: fatalError("lab 3: the MSR read policy in VMExitHandler.msrRead (Docs/labs/lab3-vm-exits.md)")
        let msr = UInt32(truncatingIfNeeded: registers.pointee.rcx)
        let value: UInt64
        switch msr {
        case UInt32(XEN_HYPERCALL_MSR): value = domain.hypercallPage ?? 0
        case PageAttributeTable.msr: value = vcpu.pageAttributeTable.value
        case MiscellaneousEnable.msr: value = MiscellaneousEnable.value
        case DebugControl.msr: value = DebugControl.value
        case ExtendedFeatureEnable.msr: value = backend.controlState(vcpu).efer
        case LocalAPICBase.msr: value = LocalAPICBase.value(isBootstrapProcessor: vcpu.localAPIC.isBootstrapProcessor)
        case VirtualAPICRegister.msrRange:
            guard let register = vcpu.localAPIC.readMSR(msr, now: SystemTime.now()) else {
                backend.injectException(vcpu, vector: 13, errorCode: 0)
                return .retry
            }
            value = register
        default:
            backend.injectException(vcpu, vector: 13, errorCode: 0)
            return .retry
        }
        registers.pointee.rax = value & 0xFFFF_FFFF
        registers.pointee.rdx = value >> 32
        return .completed
        // LAB 3 END
    }

    private func msrWrite() -> ExitOutcome {
        let msr = UInt32(truncatingIfNeeded: registers.pointee.rcx)
        let value = (registers.pointee.rdx << 32) | (registers.pointee.rax & 0xFFFF_FFFF)
        switch msr {
        case UInt32(XEN_HYPERCALL_MSR)
            where HypercallPage.install(value: value, in: domain,
                                        hypercallInstruction: backend.hypercallInstruction):
            return .completed
        case PageAttributeTable.msr where PageAttributeTable.isValid(value):
            vcpu.pageAttributeTable = PageAttributeTable(value: value)
            return .completed
        case MiscellaneousEnable.msr where value == MiscellaneousEnable.value:
            return .completed
        case DebugControl.msr where DebugControl.isAcceptedWrite(value):
            return .completed
        case LocalAPICBase.msr
            where LocalAPICBase.isAcceptedWrite(value, isBootstrapProcessor: vcpu.localAPIC.isBootstrapProcessor):
            return .completed
        case VirtualAPICRegister.msrRange where vcpu.localAPIC.writeMSR(msr, value, now: SystemTime.now()):
            return .completed
        case ExtendedFeatureEnable.msr:
            let state = backend.controlState(vcpu)
            guard let efer = ExtendedFeatureEnable.written(value, current: state.efer,
                                                           pagingEnabled: state.pagingEnabled) else {
                backend.injectException(vcpu, vector: 13, errorCode: 0)
                return .retry
            }
            backend.setExtendedFeatureEnable(vcpu, efer)
            return .completed
        default:
            backend.injectException(vcpu, vector: 13, errorCode: 0)
            return .retry
        }
    }

    // MARK: - Crashing a domain

    /// Stops the domain and prints what happened: which domain, why, the
    /// exit, and where the guest was.
    private func crash(_ reason: String, _ exit: VMExit) {
        let state = backend.controlState(vcpu)
        let r = registers.pointee
        Log.error("d\(domain.id) (\(domain.name)) crashed: \(reason)")
        Log.error("  exit: \(exit.hardwareName) (\(backend.name) code \(exit.hardwareCode)), after \(vcpu.exitCount) exits")
        Log.error("  guest RIP \(hex(state.rip))  RSP \(hex(state.rsp))  RFLAGS \(hex(state.rflags, digits: 8))")
        Log.error("  guest CR0 \(hex(state.cr0, digits: 8))  CR3 \(hex(state.cr3))  CR4 \(hex(state.cr4, digits: 8))  EFER \(hex(state.efer, digits: 4))")
        Log.error("  RAX \(hex(r.rax))  RBX \(hex(r.rbx))  RCX \(hex(r.rcx))  RDX \(hex(r.rdx))")
        Log.error("  RSI \(hex(r.rsi))  RDI \(hex(r.rdi))  RBP \(hex(r.rbp))")
        domain.state = .crashed(reason)
    }

    func describe(_ access: MemoryAccess) -> String {
        var kinds: [String] = []
        if access.read { kinds.append("read") }
        if access.write { kinds.append("write") }
        if access.execute { kinds.append("execute") }
        return kinds.isEmpty ? "access" : kinds.joined(separator: "/")
    }
}
