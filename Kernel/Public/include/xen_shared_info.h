#ifndef XEN_SHARED_INFO_H
#define XEN_SHARED_INFO_H

#include <stdint.h>

/*
 * The shared_info page: one 4 KiB page per domain that the hypervisor and
 * the guest both see. A PVH guest asks for it with XENMEM_add_to_physmap
 * (space XENMAPSPACE_shared_info, idx 0) at a guest frame of its choice.
 * Layouts are Xen's for x86_64 guests ("xen_ulong_t" is 64 bits).
 */

#define XEN_LEGACY_MAX_VCPUS 32

/*
 * System time for one vCPU, written by the hypervisor only, read by the guest.
 * The hypervisor makes `version` odd before it changes the other fields and
 * even again afterwards; a guest reads version, the fields, version again,
 * and retries if the two differ or are odd.
 * Now, in nanoseconds since boot, from the guest's own RDTSC:
 *   delta = tsc - tsc_timestamp
 *   delta = tsc_shift >= 0 ? delta << tsc_shift : delta >> -tsc_shift
 *   now   = system_time + ((delta * tsc_to_system_mul) >> 32)
 * (the product is 96 bits wide: compute it in 128 bits).
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;   /* TSC when system_time was taken */
    uint64_t system_time;     /* ns since boot at tsc_timestamp */
    uint32_t tsc_to_system_mul;
    int8_t   tsc_shift;
    uint8_t  flags;           /* XEN_PVCLOCK_* */
    uint8_t  pad1[2];
};

/* The TSC runs at one rate and never goes back: readings from different
   vCPUs may be compared. */
#define XEN_PVCLOCK_TSC_STABLE_BIT  (1 << 0)

/* Per-vCPU architectural state: a fault address (PV guests only). */
struct arch_vcpu_info {
    uint64_t cr2;
    uint64_t pad;
};

/*
 * One vCPU's part of shared_info. `evtchn_upcall_pending` is set by the
 * hypervisor when an event is waiting for this vCPU and cleared by the guest;
 * `evtchn_upcall_mask` is the guest's, read by the hypervisor.
 */
struct vcpu_info {
    uint8_t  evtchn_upcall_pending;
    uint8_t  evtchn_upcall_mask;
    uint64_t evtchn_pending_sel;
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};

/* x86 extras, for PV guests' P2M lists; a PVH guest leaves them alone. */
struct arch_shared_info {
    uint64_t max_pfn;
    uint64_t pfn_to_mfn_frame_list_list;
    uint64_t nmi_reason;
    uint64_t p2m_cr3;
    uint64_t p2m_vaddr;
    uint64_t p2m_generation;
};

/*
 * The page itself. Event-channel bits are the event-channel code's (pending:
 * set by the hypervisor, cleared by the guest; mask: the guest's). The wall
 * clock (wc_*) is the time of day at system time 0, written by the hypervisor
 * with the same odd/even protocol on wc_version.
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    uint64_t evtchn_pending[64];
    uint64_t evtchn_mask[64];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    struct arch_shared_info arch;
};

#endif
