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
 *   0x40000003: time: EBX = the TSC mode; all zero here ("default": the
 *               guest reads the host's TSC, which is not emulated).
 *   0x40000004: HVM features (subleaf 0): EAX = the flags below, EBX = the
 *               asking vCPU's id (with VCPU_ID_PRESENT), ECX = its domain's
 *               id (with DOMID_PRESENT).
 */
#define XEN_CPUID_FIRST_LEAF         0x40000000
#define XEN_CPUID_LEAF(i)            (XEN_CPUID_FIRST_LEAF + (i))
#define XEN_CPUID_SIGNATURE_EBX      0x566e6558  /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX      0x65584d4d  /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX      0x4d4d566e  /* "nVMM" */
#define XEN_HYPERCALL_MSR            0x40000000

/* Leaf 0x40000004's EAX flags. */
#define XEN_HVM_CPUID_VCPU_ID_PRESENT  (1u << 3)  /* EBX holds the vCPU id */
#define XEN_HVM_CPUID_DOMID_PRESENT    (1u << 4)  /* ECX holds the domain id */
#define XEN_HVM_CPUID_UPCALL_VECTOR    (1u << 6)  /* HVMOP_set_evtchn_upcall_vector works */

#endif
