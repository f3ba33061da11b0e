#ifndef XEN_CPUID_H
#define XEN_CPUID_H

/*
 * The hypervisor's CPUID leaves. A guest finds them at 0x40000000 by the
 * signature "XenVMMXenVMM" in EBX, ECX, EDX.
 *   0x40000000: EAX = the last leaf, EBX:ECX:EDX = the signature
 *   0x40000001: EAX = (major << 16) | minor version
 *   0x40000002: EAX = the number of hypercall pages, EBX = the MSR that
 *               installs them: write (guest-physical page address | page
 *               index) to it, and the hypervisor fills that page with stubs.
 */
#define XEN_CPUID_FIRST_LEAF         0x40000000
#define XEN_CPUID_LEAF(i)            (XEN_CPUID_FIRST_LEAF + (i))
#define XEN_CPUID_SIGNATURE_EBX      0x566e6558  /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX      0x65584d4d  /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX      0x4d4d566e  /* "nVMM" */
#define XEN_HYPERCALL_MSR            0x40000000

#endif
