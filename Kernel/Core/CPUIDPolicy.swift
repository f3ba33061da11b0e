import XenPublic

/// What a guest's CPUID returns: the host's leaves, filtered, plus the
/// hypervisor leaves at 0x40000000.
///
/// Filtered out: VMX and SVM (a guest cannot nest here), MONITOR/MWAIT (HLT
/// is the way to idle), and XSAVE/AVX (the backends switch only x87/SSE
/// state between guest and hypervisor, and XSETBV is not emulated). Added: the
/// "hypervisor present" bit (CPUID.1:ECX[31]), which tells a guest to look
/// at 0x40000000.
enum CPUIDPolicy {
    static let lastHypervisorLeaf: UInt32 = 0x4000_0002

    static func guestValues(leaf: UInt32, subleaf: UInt32,
                            host: (UInt32, UInt32) -> CPUIDValues) -> CPUIDValues {
        if leaf >= 0x4000_0000 && leaf < 0x5000_0000 {
            return hypervisorLeaf(leaf)
        }
        var values = host(leaf, subleaf)
        switch leaf {
        case 0x1:
            values.ecx &= ~(1 << 5)         // VMX
            values.ecx &= ~(1 << 3)         // MONITOR/MWAIT
            values.ecx &= ~((1 << 26) | (1 << 27) | (1 << 28))   // XSAVE, OSXSAVE, AVX
            values.ecx |= 1 << 31           // hypervisor present
        case 0x8000_0001:
            values.ecx &= ~(1 << 2)         // SVM
        case 0x8000_000A:
            values = CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0)   // SVM features
        default:
            break
        }
        return values
    }

    static func hypervisorLeaf(_ leaf: UInt32) -> CPUIDValues {
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
        default:
            return CPUIDValues(eax: 0, ebx: 0, ecx: 0, edx: 0)
        }
    }
}
