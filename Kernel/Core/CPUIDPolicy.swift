import XenPublic

/// What a guest's CPUID returns: the host's leaves, filtered, plus the
/// hypervisor leaves at 0x40000000.
///
/// The rule for the filter: a guest must never find a feature here that the
/// hypervisor does not give it. Filtered out:
/// - VMX, SVM and SMX: a guest cannot nest here;
/// - MONITOR/MWAIT and AMD's MONITORX/MWAITX: HLT is the way to idle;
/// - XSAVE/AVX: the backends switch only x87/SSE state between guest and
///   hypervisor, and XSETBV is not emulated;
/// - the TSC deadline timer: the virtual APIC's timer has no TSC-deadline
///   mode (VirtualAPIC+Timer);
/// - every feature that is a set of MSRs the MSR policy does not offer, so a
///   guest that believes CPUID never meets a #GP: machine checks (MCE, MCA),
///   MTRRs, debug store, thermal and power management (leaf 6, EST, TM,
///   TM2), performance counters (leaf 0xA, PDCM, AMD's counter extensions
///   and IBS), cache QoS monitoring and allocation, and the speculation
///   controls (SPEC_CTRL, PRED_CMD, FLUSH_CMD, ARCH_CAPABILITIES);
/// - AMD's memory encryption (SME, SEV): a guest that sees it reads the SEV
///   status MSR before it has an IDT;
/// - every feature whose CR4 enable bit ControlRegister4Policy never
///   permits: 5-level paging (LA57; GuestMemory walks 4 levels), protection
///   keys (PKU: PKRU is XSAVE state the backends do not switch, so it would
///   leak between domains; PKS), CET shadow stacks and IBT, Key Locker,
///   user interrupts, LAM and FRED (MSRs, or state, not offered).
/// Added: the "hypervisor present" bit (CPUID.1:ECX[31]), which tells a guest
/// to look at 0x40000000; and the vCPU's virtual local APIC (VirtualAPIC),
/// shown the same way everywhere a guest looks, whatever the host has:
/// - leaf 1: EDX.APIC (bit 9) and ECX.x2APIC (bit 21) set, EBX[31:24] the
///   initial APIC ID, the vCPU's `apicID` (as Xen does);
/// - leaves 0xB and 0x1F (extended topology): one thread per core and one
///   core per package, and EDX the x2APIC ID at every subleaf. Xen keeps
///   the toolstack's topology and only puts the x2APIC ID into EDX; that
///   could show siblings a domain does not have, so here the levels are
///   made up to match the MADT (ACPITables): each vCPU a package of its own.
enum CPUIDPolicy {
    static let lastHypervisorLeaf: UInt32 = 0x4000_0004

    /// The leaf as the guest sees it. `apicID` is the asking vCPU's x2APIC
    /// ID (VirtualAPIC.id), which is also its vCPU id, and `domainID` its
    /// domain's; callers that only look at feature bits may leave them 0.
    @inline(__always)   // on every CPUID exit
    static func guestValues(leaf: UInt32, subleaf: UInt32, apicID: UInt32 = 0, domainID: UInt16 = 0,
                            host: (UInt32, UInt32) -> CPUIDValues) -> CPUIDValues {
        if leaf >= 0x4000_0000 && leaf < 0x5000_0000 {
            return hypervisorLeaf(leaf, subleaf: subleaf, vcpuID: apicID, domainID: domainID)
        }
        if leaf == 0xB || leaf == 0x1F {
            return topologyLeaf(subleaf: subleaf, apicID: apicID)
        }
        // LAB 3 BEGIN: filter the host's leaf: hide what is not virtualized, add what is
        // LAB 3 STUB: fatalError("lab 3: filter the host's CPUID leaves (Docs/labs/lab3-vm-exits.md)")
        var values = host(leaf, subleaf)
        switch leaf {
        case 0x1:
            values.ebx = (values.ebx & 0x00FF_FFFF) | (apicID << 24)   // initial APIC ID
            values.ecx &= ~bits(2, 4, 7, 8, 15)        // DTES64, DS-CPL, EST, TM2, PDCM
            values.ecx &= ~bits(3, 5, 6)               // MONITOR/MWAIT, VMX, SMX
            values.ecx &= ~bits(24)                    // TSC deadline
            values.ecx &= ~bits(26, 27, 28)            // XSAVE, OSXSAVE, AVX
            values.ecx |= bits(21)                     // x2APIC (the virtual APIC)
            values.ecx |= bits(31)                     // hypervisor present
            values.edx &= ~bits(7, 12, 14)             // MCE, MTRR, MCA
            values.edx &= ~bits(21, 22, 29, 31)        // DS, ACPI thermal, TM, PBE
            values.edx |= bits(9)                      // APIC (the virtual APIC)
        case 0x6, 0xA:
            values = CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0)   // power management, performance counters
        case 0x7 where subleaf == 0:
            values.ebx &= ~bits(12, 15)                // cache QoS monitoring, allocation
            values.ecx &= ~bits(3, 4, 31)              // PKU, OSPKE, PKS
            values.ecx &= ~bits(7, 16, 23)             // CET shadow stacks, LA57, Key Locker
            values.edx &= ~bits(5, 20)                 // user interrupts, CET IBT
            values.edx &= ~bits(26, 27, 28, 29, 31)    // IBRS/IBPB, STIBP, L1D flush, ARCH_CAPABILITIES, SSBD
        case 0x7 where subleaf == 1:
            values.eax &= ~bits(17, 26)                // FRED, LAM
        case 0x8000_0001:
            values.ecx &= ~bits(2)                     // SVM
            values.ecx &= ~bits(10, 13, 15)            // IBS, watchdog timer, LWP
            values.ecx &= ~bits(23, 24, 28)            // core, northbridge and L2 counter extensions
            values.ecx &= ~bits(29)                    // MONITORX/MWAITX (like MONITOR/MWAIT)
        case 0x8000_0008:
            values.ebx &= ~bits(12, 14, 15, 24, 25)    // IBPB, IBRS, STIBP, SSBD, VIRT_SSBD
        case 0x8000_000A:
            values = CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0)   // SVM features
        case 0x8000_001F:
            values = CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0)   // memory encryption (SME, SEV: MSR 0xC0010131)
        default:
            break
        }
        return values
        // LAB 3 END
    }

    private static func bits(_ positions: UInt32...) -> UInt32 {
        positions.reduce(0) { $0 | (1 << $1) }
    }

    /// Leaves 0xB and 0x1F (Intel SDM Vol. 2A, CPUID): subleaf 0 is the SMT
    /// level (type 1), subleaf 1 the core level (type 2), each with one
    /// logical processor and an x2APIC ID shift of 0; from subleaf 2 on, the
    /// level type is 0 (invalid), which ends the enumeration. ECX[7:0]
    /// echoes the subleaf and EDX is the x2APIC ID, at every subleaf.
    static func topologyLeaf(subleaf: UInt32, apicID: UInt32) -> CPUIDValues {
        let levelType: UInt32
        switch subleaf {
        case 0: levelType = 1
        case 1: levelType = 2
        default: levelType = 0
        }
        return CPUIDValues(eax: 0, ebx: levelType == 0 ? 0 : 1, ecx: levelType << 8 | (subleaf & 0xFF), edx: apicID)
    }

    /// Xen's leaves (xen_cpuid.h). Leaf 3 (time) is all zero: TSC mode
    /// "default", nothing emulated. Leaf 4 tells a guest who it is (its
    /// vCPU and domain ids, which Linux takes from here rather than
    /// guessing) and that each vCPU may have its own upcall vector
    /// (HVMOP_set_evtchn_upcall_vector), the way Linux prefers; the other
    /// flags (hardware APIC virtualization, IOMMU) stay clear, as
    /// nothing here offers them.
    static func hypervisorLeaf(_ leaf: UInt32, subleaf: UInt32 = 0, vcpuID: UInt32 = 0,
                               domainID: UInt16 = 0) -> CPUIDValues {
        // LAB 3 BEGIN: Xen's leaves at 0x40000000: signature, version, hypercall MSR, vCPU and domain ids
        // LAB 3 STUB: fatalError("lab 3: the hypervisor's CPUID leaves (Docs/labs/lab3-vm-exits.md)")
        switch leaf {
        case 0x4000_0000:
            return CPUIDValues(eax: lastHypervisorLeaf, ebx: UInt32(XEN_CPUID_SIGNATURE_EBX),
                               ecx: UInt32(XEN_CPUID_SIGNATURE_ECX), edx: UInt32(XEN_CPUID_SIGNATURE_EDX))
        case 0x4000_0001:
            return CPUIDValues(eax: UInt32((XenVersionHypercall.major << 16) | XenVersionHypercall.minor),
                               ebx: 0, ecx: 0, edx: 0)
        case 0x4000_0002:
            // One hypercall page, installed through this MSR.
            return CPUIDValues(eax: 1, ebx: UInt32(XEN_HYPERCALL_MSR), ecx: 0, edx: 0)
        case 0x4000_0004 where subleaf == 0:
            let flags = XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT | XEN_HVM_CPUID_UPCALL_VECTOR
            return CPUIDValues(eax: UInt32(flags), ebx: vcpuID, ecx: UInt32(domainID), edx: 0)
        default:
            return CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0)
        }
        // LAB 3 END
    }
}
