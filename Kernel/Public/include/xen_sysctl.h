#ifndef XEN_SYSCTL_H
#define XEN_SYSCTL_H

#include <stdint.h>
#include "xen_types.h"

/* sysctl(struct xen_sysctl *): system-wide control, privileged domain only. */
#define XEN_SYSCTL_INTERFACE_VERSION   0x00000015
#define XEN_SYSCTL_physinfo            3

/* physinfo. OUT: the machine's memory, in 4 KiB pages (the subset kept). */
struct xen_sysctl_physinfo {
    uint32_t threads_per_core;
    uint32_t cores_per_socket;
    uint32_t nr_cpus;
    uint32_t max_cpu_id;
    uint32_t nr_nodes;
    uint32_t max_node_id;
    uint32_t cpu_khz;
    uint32_t capabilities;
    uint64_t total_pages;
    uint64_t free_pages;
    uint64_t scrub_pages;
    uint64_t outstanding_pages;
    uint64_t max_mfn;
};

/* One struct for every operation, 136 bytes as in Xen (which copies all of
   it in and out): the command and interface version, written by the
   caller, and a union of payloads padded to 128 bytes, whose OUT fields the
   hypervisor fills. */
struct XEN_BITWISE_COPYABLE xen_sysctl {
    uint32_t cmd;
    uint32_t interface_version;   /* XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_physinfo physinfo;
        uint8_t pad[128];         /* the union's size in Xen */
    } u;
};

#endif
