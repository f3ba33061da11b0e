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
#define XENMEM_add_to_physmap         7   /* arg: struct xen_add_to_physmap */
#define XENMEM_memory_map             9   /* arg: struct xen_memory_map */
#define XENMEM_machine_memory_map    10
#define XENMEM_remove_from_physmap   15   /* arg: struct xen_remove_from_physmap */
#define XENMEM_add_to_physmap_batch  23   /* arg: struct xen_add_to_physmap_batch */

/*
 * populate_physmap / decrease_reservation: give a domain RAM at the listed
 * guest frames, or take it away. IN: extent_start -> nr_extents guest frame
 * numbers (xen_pfn_t, 64-bit), extent_order (0: 4 KiB extents only here),
 * domid. Returns the number of extents done; fewer than asked means the rest
 * failed (out of memory, over max_mem, frame already populated or absent).
 */
struct xen_memory_reservation {
    uint64_t extent_start;    /* guest pointer to uint64_t[nr_extents] */
    uint64_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;
    domid_t  domid;
    uint16_t pad[3];
};

/* Where an add_to_physmap mapping comes from. */
#define XENMAPSPACE_shared_info    0   /* idx 0: the domain's shared_info page */
#define XENMAPSPACE_grant_table    1   /* idx: a frame of the domain's grant table (xen_grant_table.h) */
/* With XENMAPSPACE_grant_table: idx names a version-2 status frame (not
   offered here: -EINVAL). */
#define XENMAPIDX_grant_table_status 0x80000000U
#define XENMAPSPACE_gmfn_foreign   4   /* idx: a frame of foreign_domid (batch only) */

struct xen_add_to_physmap {
    domid_t  domid;           /* DOMID_SELF: the caller */
    uint16_t size;
    uint32_t space;           /* XENMAPSPACE_* */
    uint64_t idx;
    uint64_t gpfn;            /* where in the caller's physmap */
};

/*
 * add_to_physmap_batch with XENMAPSPACE_gmfn_foreign: the privileged domain
 * maps `size` frames of another domain (idxs[i], that domain's guest frame
 * numbers) at its own guest frames gpfns[i]; errs[i] gets 0 or -errno. This
 * is how dom0's domain builder writes a new domain's memory.
 */
struct xen_add_to_physmap_batch {
    domid_t  domid;           /* whose physmap changes: DOMID_SELF */
    uint16_t space;           /* XENMAPSPACE_gmfn_foreign */
    uint16_t size;            /* number of frames */
    domid_t  foreign_domid;
    uint64_t idxs;            /* guest pointer to uint64_t[size] */
    uint64_t gpfns;           /* guest pointer to uint64_t[size] */
    uint64_t errs;            /* guest pointer to int32_t[size] */
};

/* Removes a mapping made by add_to_physmap(_batch). */
struct xen_remove_from_physmap {
    domid_t  domid;
    uint16_t pad[3];
    uint64_t gpfn;
};

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
