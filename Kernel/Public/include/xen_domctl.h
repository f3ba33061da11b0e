#ifndef XEN_DOMCTL_H
#define XEN_DOMCTL_H

#include <stdint.h>
#include "xen_types.h"

/*
 * domctl(struct xen_domctl *): domain control, for the privileged domain
 * only (any other caller gets -EPERM). One struct for every operation: the
 * command, the interface version, the target domain, and a union of
 * per-command payloads padded to 128 bytes (144 bytes in all, as in Xen,
 * which copies the whole struct in and out). The caller writes cmd,
 * interface_version, domain and the IN fields; the hypervisor writes the
 * OUT fields back into the same struct.
 *
 * The subset implemented here uses Xen's command numbers and field layouts
 * where a field exists in Xen; see each payload's comment.
 */
#define XEN_DOMCTL_INTERFACE_VERSION   0x00000017

#define XEN_DOMCTL_createdomain          1
#define XEN_DOMCTL_destroydomain         2
#define XEN_DOMCTL_pausedomain           3
#define XEN_DOMCTL_unpausedomain         4
#define XEN_DOMCTL_getdomaininfo         5
#define XEN_DOMCTL_max_mem              11
#define XEN_DOMCTL_setvcpucontext       12
#define XEN_DOMCTL_getvcpucontext       13
#define XEN_DOMCTL_max_vcpus            15

/* createdomain. IN: flags, max_vcpus; `domain` in the outer struct is the
   id wanted, or 0 to let the hypervisor choose. OUT: `domain` = the new id.
   The domain starts paused, with no memory. */
struct xen_domctl_createdomain {
    uint32_t ssidref;
    uint8_t  handle[16];
    uint32_t flags;               /* XEN_DOMCTL_CDF_*; hvm and hap are required */
    uint32_t iommu_opts;
    uint32_t max_vcpus;
    uint32_t max_evtchn_port;
    int32_t  max_grant_frames;
    int32_t  max_maptrack_frames;
};
#define XEN_DOMCTL_CDF_hvm   (1u << 0)
#define XEN_DOMCTL_CDF_hap   (1u << 1)

/* getdomaininfo. IN: `domain` in the outer struct. OUT: everything here.
   If that domain does not exist, the next higher one is reported (so a
   caller can list all domains by asking for 0, then last + 1, ...); -ESRCH
   when there is none. */
struct xen_domctl_getdomaininfo {
    domid_t  domain;
    uint16_t pad1;
    uint32_t flags;               /* XEN_DOMINF_* and the shutdown reason */
    uint64_t tot_pages;           /* pages the domain has now */
    uint64_t max_pages;           /* its limit (max_mem) */
    uint64_t outstanding_pages;
    uint64_t shr_pages;
    uint64_t paged_pages;
    uint64_t shared_info_frame;
    uint64_t cpu_time;            /* nanoseconds of CPU it has had */
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id;
    uint32_t ssidref;
    uint8_t  handle[16];
    uint32_t cpupool;
};
#define XEN_DOMINF_dying          (1u << 0)
#define XEN_DOMINF_hvm_guest      (1u << 1)
#define XEN_DOMINF_shutdown       (1u << 2)   /* shut down or crashed: reason below */
#define XEN_DOMINF_paused         (1u << 3)
#define XEN_DOMINF_blocked        (1u << 4)
#define XEN_DOMINF_running        (1u << 5)
#define XEN_DOMINF_hap            (1u << 8)
#define XEN_DOMINF_shutdownshift  16          /* bits 23:16: SHUTDOWN_* reason */
#define XEN_DOMINF_shutdownmask   255

/* max_mem. IN: the most memory the domain may be given, in KiB. */
struct xen_domctl_max_mem {
    uint64_t max_memkb;
};

/* max_vcpus. IN: how many vCPUs the domain may have (here: 1). */
struct xen_domctl_max_vcpus {
    uint32_t max;
};

/* setvcpucontext / getvcpucontext. IN: vcpu; ctxt points at a
   struct vcpu_hvm_context (xen_hvm_vcpu.h). Xen's own domctl takes a PV
   vcpu_guest_context here; PVH guests are started from the HVM context,
   so that is what this hypervisor takes (documented deviation). */
struct xen_domctl_vcpucontext {
    uint32_t vcpu;
    uint32_t pad;
    uint64_t ctxt;                /* guest pointer */
};

struct XEN_BITWISE_COPYABLE xen_domctl {
    uint32_t cmd;
    uint32_t interface_version;   /* XEN_DOMCTL_INTERFACE_VERSION */
    domid_t  domain;
    uint16_t pad[3];
    union {
        struct xen_domctl_createdomain   createdomain;
        struct xen_domctl_getdomaininfo  getdomaininfo;
        struct xen_domctl_max_mem        max_mem;
        struct xen_domctl_max_vcpus      max_vcpus;
        struct xen_domctl_vcpucontext    vcpucontext;
        uint8_t                          pad[128];   /* the union's size in Xen */
    } u;
};

#endif
