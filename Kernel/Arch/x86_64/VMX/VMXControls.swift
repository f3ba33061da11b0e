/// The five 32-bit VMX control fields, as the backend sets them for a PVH
/// guest: what makes the guest exit, and how entries and exits switch state.
/// Bit positions: Intel SDM Vol. 3C, 24.6 (execution), 24.7 (exit),
/// 24.8 (entry).
struct VMXControls {
    var pinBased: UInt32
    var primary: UInt32
    var secondary: UInt32
    var exit: UInt32
    var entry: UInt32

    var usesPreemptionTimer: Bool { pinBased & PinBased.preemptionTimer != 0 }
    var usesVPID: Bool { secondary & Secondary.enableVPID != 0 }

    /// Pin-based VM-execution controls (SDM 24.6.1, table 24-5).
    enum PinBased {
        static let externalInterruptExiting: UInt32 = 1 << 0
        static let nmiExiting: UInt32 = 1 << 3
        static let preemptionTimer: UInt32 = 1 << 6
    }

    /// Primary processor-based VM-execution controls (SDM 24.6.2, table 24-6).
    enum Primary {
        static let interruptWindowExiting: UInt32 = 1 << 2
        static let hltExiting: UInt32 = 1 << 7
        static let cr3LoadExiting: UInt32 = 1 << 15
        static let cr3StoreExiting: UInt32 = 1 << 16
        static let unconditionalIOExiting: UInt32 = 1 << 24
        static let useIOBitmaps: UInt32 = 1 << 25
        static let useMSRBitmaps: UInt32 = 1 << 28
        static let activateSecondaryControls: UInt32 = 1 << 31
    }

    /// Secondary processor-based VM-execution controls (SDM 24.6.2, table 24-7).
    enum Secondary {
        static let enableEPT: UInt32 = 1 << 1
        static let enableRDTSCP: UInt32 = 1 << 3
        static let enableVPID: UInt32 = 1 << 5
        static let unrestrictedGuest: UInt32 = 1 << 7
        static let enableINVPCID: UInt32 = 1 << 12
    }

    /// VM-exit controls (SDM 24.7.1, table 24-13).
    enum Exit {
        static let hostAddressSpaceSize: UInt32 = 1 << 9
        static let acknowledgeInterruptOnExit: UInt32 = 1 << 15
        static let saveEFER: UInt32 = 1 << 20
        static let loadEFER: UInt32 = 1 << 21
    }

    /// VM-entry controls (SDM 24.8.1, table 24-15).
    enum Entry {
        static let ia32eModeGuest: UInt32 = 1 << 9
        static let loadEFER: UInt32 = 1 << 15
    }

    /// The controls for a PVH guest, each settled against what the CPU allows
    /// (`VMXControlCapability.settle`). Bits not named here get the CPU's
    /// default: 0 where it allows that, so with the TRUE_ capability MSRs
    /// CR3 loads and stores and INVLPG do not exit (EPT makes that safe).
    static func forPVHGuest(_ capabilities: VMXCapabilities) throws(VirtualizationError) -> VMXControls {
        // External interrupts and NMIs belong to the hypervisor: they exit.
        // The preemption timer, where there is one, ends time slices
        // (VMXBackend.armPreemptionTimer says why).
        guard let pinBased = capabilities.pinBased.settle(
            required: PinBased.externalInterruptExiting | PinBased.nmiExiting,
            optional: PinBased.preemptionTimer) else {
            throw .unsupported("pin-based controls (external-interrupt and NMI exiting)")
        }
        // HLT exits (Core schedules); IN/OUT exit as the domain's I/O
        // bitmaps say (SDM 25.1.3; IOPortBitmap: all ports but dom0's disk
        // controller); RDMSR/WRMSR exit as the
        // MSR bitmap says (all but EFER, see VMXMSRBitmap); CPUID, INVD,
        // XSETBV, VMCALL and the VMX instructions exit unconditionally.
        guard let primary = capabilities.primary.settle(
            required: Primary.hltExiting | Primary.useIOBitmaps
                | Primary.useMSRBitmaps | Primary.activateSecondaryControls) else {
            throw .unsupported("processor-based controls (HLT exiting, I/O and MSR bitmaps)")
        }
        // Interrupt-window exiting is switched on only while an interrupt
        // waits for the guest to take it (VMXInterruptInjection); the CPU
        // must allow it.
        guard capabilities.primary.allows(Primary.interruptWindowExiting) else {
            throw .unsupported("interrupt-window exiting")
        }
        // EPT, and unrestricted guest so that the guest may run with paging
        // (even protection) off, as PVH starts. RDTSCP and INVPCID would
        // otherwise raise #UD in a guest that CPUID told they exist. VPID
        // where the CPU has it (with INVVPID): no TLB flush on every exit.
        guard let secondary = capabilities.secondary.settle(
            required: Secondary.enableEPT | Secondary.unrestrictedGuest,
            optional: Secondary.enableRDTSCP | Secondary.enableINVPCID
                | (capabilities.hasVPID ? Secondary.enableVPID : 0)) else {
            throw .unsupported("secondary controls (EPT and unrestricted guest)")
        }
        // Come back in 64-bit mode, switch EFER both ways (the guest owns
        // its EFER, the hypervisor keeps LME/LMA/NXE), and take the vector of
        // an external interrupt with the exit.
        guard let exit = capabilities.exit.settle(
            required: Exit.hostAddressSpaceSize | Exit.saveEFER | Exit.loadEFER
                | Exit.acknowledgeInterruptOnExit) else {
            throw .unsupported("VM-exit controls (64-bit host, save/load EFER)")
        }
        // Load the guest's EFER. Not "IA-32e mode guest": PVH starts in 32-bit
        // protected mode; the bit follows EFER.LMA once the guest turns long
        // mode on by itself.
        guard let entry = capabilities.entry.settle(required: Entry.loadEFER),
              entry & Entry.ia32eModeGuest == 0 else {
            throw .unsupported("VM-entry controls (load EFER)")
        }
        return VMXControls(pinBased: pinBased, primary: primary, secondary: secondary, exit: exit, entry: entry)
    }
}
