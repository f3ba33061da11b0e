#ifndef XEN_COMPAT_H
#define XEN_COMPAT_H

#include <stdint.h>
#include "xen_types.h"

/*
 * The argument structs as a 32-bit guest lays them out, for the few whose
 * 32-bit layout differs from the 64-bit one in the other headers. Two rules
 * of the i386 ABI make the difference: a guest pointer (a guest handle) and
 * an unsigned long are 4 bytes, and a uint64_t is only 4-byte aligned, so
 * a struct may end without padding. Xen calls these layouts "compat" and
 * names them compat_*. The hypervisor reads the one that matches the
 * caller's mode (EFER.LMA) and widens it to the 64-bit struct; fields have
 * the same meaning and the same writer as there.
 */

/* XENMEM_memory_map (xen_memory.h), 8 bytes. nr_entries is written back. */
struct compat_memory_map {
    uint32_t nr_entries;
    uint32_t buffer;          /* guest pointer to struct xen_e820_entry[] */
};

/* XENMEM_add_to_physmap (xen_memory.h), 16 bytes: idx and gpfn are
   unsigned longs. */
struct compat_add_to_physmap {
    domid_t  domid;
    uint16_t size;
    uint32_t space;           /* XENMAPSPACE_* */
    uint32_t idx;
    uint32_t gpfn;
};

/* SCHEDOP_poll (xen_sched.h), 16 bytes: ports is a 4-byte pointer, so
   timeout follows nr_ports directly. */
struct __attribute__((packed, aligned(4))) compat_sched_poll {
    uint32_t ports;           /* guest pointer to evtchn_port_t (uint32_t)[nr_ports] */
    uint32_t nr_ports;
    uint64_t timeout;
};

/* VCPUOP_set_singleshot_timer (xen_vcpu.h), 12 bytes: no tail padding. */
struct __attribute__((packed, aligned(4))) compat_vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags;           /* VCPU_SSHOTTMR_* */
};

/* vcpu_runstate_info (xen_vcpu.h), 44 bytes: the uint64_t fields follow
   the 4-byte state without padding. */
struct __attribute__((packed)) compat_vcpu_runstate_info {
    int32_t  state;
    uint64_t state_entry_time;
    uint64_t time[4];
};

#endif
