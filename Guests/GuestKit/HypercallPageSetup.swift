import GuestSupport
import XenPublic

/// Sets up the hypercall page from the guest's side and finds the stubs in
/// it. The hypervisor writes one small stub per hypercall number into a
/// page of the guest's choosing (Kernel/Core/HypercallPage.swift), so the
/// guest never has to know whether the CPU wants VMCALL or VMMCALL.
///
/// Discovery goes through CPUID: leaf 0x40000000 carries the signature
/// "XenVMMXenVMM" and the last leaf; leaf 0x40000002 names the MSR. Writing
/// the page's guest-physical address (page index 0 in the low 12 bits) to
/// that MSR makes the hypervisor fill the page.
enum HypercallPageSetup {
    nonisolated(unsafe) private(set) static var isInstalled = false

    private static let msrLeaf = UInt32(XEN_CPUID_FIRST_LEAF) + 2

    /// Finds the hypervisor and installs the page. False if there is no
    /// Xen-compatible hypervisor underneath.
    static func install() -> Bool {
        let signature = cpuid(UInt32(XEN_CPUID_FIRST_LEAF), 0)
        guard signature.ebx == UInt32(XEN_CPUID_SIGNATURE_EBX),
              signature.ecx == UInt32(XEN_CPUID_SIGNATURE_ECX),
              signature.edx == UInt32(XEN_CPUID_SIGNATURE_EDX),
              signature.eax >= msrLeaf else { return false }
        let msr = cpuid(msrLeaf, 0).ebx
        // Identity-mapped: the page's virtual address is its guest-physical one.
        msr_write(msr, hypercall_page_address())
        isInstalled = true
        return true
    }

    /// Where the stub for `number` starts: one stub every 32 bytes.
    static func stubAddress(_ number: UInt64) -> UInt64 {
        hypercall_page_address() + number * UInt64(XEN_HYPERCALL_STUB_SIZE)
    }
}
