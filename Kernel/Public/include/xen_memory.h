#ifndef XEN_MEMORY_H
#define XEN_MEMORY_H

#include <stdint.h>
#include "xen_types.h"

/* memory_op(cmd, arg): a domain's memory. */
#define XENMEM_increase_reservation   0
#define XENMEM_decrease_reservation   1
#define XENMEM_maximum_ram_page       2
#define XENMEM_current_reservation    3   /* arg: domid_t *; returns pages */
#define XENMEM_maximum_reservation    4   /* arg: domid_t *; returns pages */
#define XENMEM_populate_physmap       6
#define XENMEM_memory_map             9   /* arg: struct xen_memory_map */
#define XENMEM_machine_memory_map    10

/*
 * XENMEM_memory_map: the caller's own memory map, in E820 form.
 * In: nr_entries = how many entries buffer has room for.
 * Out (written by the hypervisor): nr_entries = how many it wrote; the
 * entries themselves, 20 bytes each (struct xen_e820_entry).
 */
struct xen_memory_map {
    uint32_t nr_entries;
    uint32_t pad;
    uint64_t buffer;          /* guest pointer to struct xen_e820_entry[] */
};

struct __attribute__((packed)) xen_e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;            /* XEN_HVM_MEMMAP_TYPE_* */
};

#endif
