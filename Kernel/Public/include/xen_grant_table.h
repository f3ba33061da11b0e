#ifndef XEN_GRANT_TABLE_H
#define XEN_GRANT_TABLE_H

#include <stdint.h>
#include "xen_types.h"

/*
 * Grant tables, version 1: how one domain lets another use a page of its
 * memory. The granting domain writes an entry into its own grant table (an
 * array of grant_entry_v1 in frames the hypervisor owns and shows the guest
 * in its physmap, XENMEM_add_to_physmap with XENMAPSPACE_grant_table); the
 * entry's index is the grant reference it hands to the other domain (through
 * XenStore, a command line, ...). The other domain then maps the page
 * (GNTTABOP_map_grant_ref) or copies to or from it (GNTTABOP_copy), and the
 * hypervisor checks every use against the entry.
 *
 * grant_table_op(cmd, uop, count): cmd is a GNTTABOP_* number, uop points at
 * an array of `count` structs of the kind named with each op. Batched ops
 * (map, unmap, copy) report per struct in its `status` (a GNTST_* code) and
 * the hypercall returns 0; a negative errno from the hypercall means the
 * array itself could not be read or written (or the op does not exist).
 * "IN" fields are the guest's, "OUT" fields are written by the hypervisor,
 * which copies each struct back whole.
 */
#define GNTTABOP_map_grant_ref        0
#define GNTTABOP_unmap_grant_ref      1
#define GNTTABOP_setup_table          2
#define GNTTABOP_dump_table           3   /* not offered here: -ENOSYS */
#define GNTTABOP_transfer             4   /* page transfer: not offered here: -ENOSYS */
#define GNTTABOP_copy                 5
#define GNTTABOP_query_size           6
#define GNTTABOP_unmap_and_replace    7   /* PV page tables only: -ENOSYS */
#define GNTTABOP_set_version          8
#define GNTTABOP_get_status_frames    9   /* version 2 only: -ENOSYS */
#define GNTTABOP_get_version         10
#define GNTTABOP_swap_grant_ref      11   /* version 2 only: -ENOSYS */
#define GNTTABOP_cache_flush         12   /* Arm only: -ENOSYS */

/* An index into a domain's grant table: chosen by the granting domain. */
typedef uint32_t grant_ref_t;

/* A mapping made by GNTTABOP_map_grant_ref: chosen by the hypervisor, private
   to the mapping domain, given back to GNTTABOP_unmap_grant_ref. */
typedef uint32_t grant_handle_t;

/*
 * One version-1 grant table entry, 8 bytes, 512 to a 4 KiB frame. The
 * granting guest writes `domid` and `frame` first and `flags` last (so the
 * entry is never valid half-written); the hypervisor only ever changes the
 * GTF_reading and GTF_writing bits of `flags`.
 * flags: GTF_* below: the type in bits 0-1, then the modifiers.
 * domid: the one domain that may use this grant.
 * frame: the granted page, as a guest frame number of the granting domain
 *   (its own RAM).
 */
struct grant_entry_v1 {
    uint16_t flags;
    domid_t  domid;
    uint32_t frame;
};

/* Entries 0 to 7 are set aside for the toolstack (console ring 0, XenStore
   ring 1), as Linux and Xen's tools agree; guests allocate from 8 up. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

/* The entry's type (flags & GTF_type_mask), written by the granting guest. */
#define GTF_invalid          0   /* not a grant: every use fails */
#define GTF_permit_access    1   /* `domid` may map or copy `frame` */
#define GTF_accept_transfer  2   /* page transfer (not offered here) */
#define GTF_transitive       3   /* version 2 only */
#define GTF_type_mask        3
/* Written by the granting guest, with GTF_permit_access: `domid` may only
   read the page (a writable map or a copy into it fails). */
#define GTF_readonly         (1U << 2)
/* Written by the hypervisor: set while `domid` has the page mapped (reading:
   any mapping; writing: a writable one). The granting guest must not reuse
   the page or the entry until both are clear. */
#define GTF_reading          (1U << 3)
#define GTF_writing          (1U << 4)
/* Cache attributes a guest may ask for (ignored here, as for HVM in Xen). */
#define GTF_PWT              (1U << 5)
#define GTF_PCD              (1U << 6)
#define GTF_PAT              (1U << 7)
/* Version 2 sub-page grants; never valid in a version-1 entry mapping. */
#define GTF_sub_page         (1U << 8)
/* GTF_accept_transfer's states (transfer is not offered here). */
#define GTF_transfer_committed (1U << 2)
#define GTF_transfer_completed (1U << 3)

/* How a GNTTABOP_map_grant_ref mapping is made (gnttab_map_grant_ref.flags). */
#define GNTMAP_device_map      (1U << 0)   /* for DMA: refused for PVH (as Xen refuses HVM) */
#define GNTMAP_host_map        (1U << 1)   /* into the mapper's address space: host_addr */
#define GNTMAP_readonly        (1U << 2)   /* a read-only mapping */
#define GNTMAP_application_map (1U << 3)   /* PV user mappings: refused for PVH */
#define GNTMAP_contains_pte    (1U << 4)   /* PV page-table entries: refused for PVH */

/* Per-op results (the `status` fields), as in Xen. */
#define GNTST_okay             (0)    /* done */
#define GNTST_general_error    (-1)   /* refused: entry not valid for the caller, r/o grant, no room, ... */
#define GNTST_bad_domain       (-2)   /* no such domain */
#define GNTST_bad_gntref       (-3)   /* the reference is beyond the table (or the map flags name no mapping) */
#define GNTST_bad_handle       (-4)   /* no such mapping handle */
#define GNTST_bad_virt_addr    (-5)   /* an address that cannot be mapped */
#define GNTST_bad_dev_addr     (-6)   /* a device address that does not match */
#define GNTST_no_device_space  (-7)   /* the caller's maptrack is full */
#define GNTST_permission_denied (-8)  /* the caller may not name that domain here */
#define GNTST_bad_page         (-9)   /* the frame is not the domain's RAM */
#define GNTST_bad_copy_arg     (-10)  /* a copy that leaves its page */
#define GNTST_address_too_big  (-11)  /* a transfer to a frame above the domain's limit */
#define GNTST_eagain           (-12)  /* paged out: try again */
#define GNTST_no_space         (-13)  /* no room */

/*
 * GNTTABOP_map_grant_ref: maps grant `ref` of domain `dom` at guest-physical
 * address `host_addr` (a PVH guest's own physmap: a frame with no RAM behind
 * it, such as one given back with decrease_reservation).
 * IN host_addr: where, in the caller's guest-physical space (page-aligned).
 * IN flags: GNTMAP_host_map, optionally GNTMAP_readonly.
 * IN ref, dom: the grant.
 * OUT status: GNTST_*.
 * OUT handle: names the mapping for unmap.
 * OUT dev_bus_addr: 0 here (no device mappings for PVH).
 */
struct gnttab_map_grant_ref {
    uint64_t host_addr;
    uint32_t flags;
    grant_ref_t ref;
    domid_t  dom;
    int16_t  status;
    grant_handle_t handle;
    uint64_t dev_bus_addr;
};

/*
 * GNTTABOP_unmap_grant_ref: removes the mapping `handle`.
 * IN host_addr: where it was mapped (must match).
 * IN dev_bus_addr: 0 (there are no device mappings).
 * IN handle: from map_grant_ref.
 * OUT status: GNTST_*.
 */
struct gnttab_unmap_grant_ref {
    uint64_t host_addr;
    uint64_t dev_bus_addr;
    grant_handle_t handle;
    int16_t  status;
};

/*
 * GNTTABOP_setup_table: grows domain `dom`'s table to `nr_frames` frames
 * and lists where they are.
 * IN dom: DOMID_SELF, or another domain for a privileged caller.
 * IN nr_frames: how many frames (at most the query_size maximum).
 * OUT status: GNTST_*.
 * IN frame_list: guest pointer to xen_pfn_t[nr_frames]; the hypervisor
 *   writes each frame's guest frame number in `dom`'s physmap, or
 *   ~0 (INVALID_GFN) for one not mapped there yet: a PVH guest maps them
 *   itself with add_to_physmap (XENMAPSPACE_grant_table), as in Xen.
 */
struct gnttab_setup_table {
    domid_t  dom;
    uint32_t nr_frames;
    int16_t  status;
    uint64_t frame_list;
};

/*
 * GNTTABOP_query_size: how big domain `dom`'s table is and may grow.
 * IN dom: DOMID_SELF, or another domain for a privileged caller.
 * OUT nr_frames: frames the table has now.
 * OUT max_nr_frames: the most it may have.
 * OUT status: GNTST_*.
 */
struct gnttab_query_size {
    domid_t  dom;
    uint32_t nr_frames;
    uint32_t max_nr_frames;
    int16_t  status;
};

/*
 * GNTTABOP_set_version: asks for a table format (count must be 1).
 * IN/OUT version: 1 is accepted; 2 is -ENOSYS (not offered), anything else
 *   -EINVAL. The hypervisor writes back the version in use, 1.
 */
struct gnttab_set_version {
    uint32_t version;
};

/*
 * GNTTABOP_get_version (count must be 1).
 * IN dom: DOMID_SELF, or another domain for a privileged caller.
 * OUT version: 1.
 */
struct gnttab_get_version {
    domid_t  dom;
    uint16_t pad;
    uint32_t version;
};

/* gnttab_copy.flags: which operands are grant references. */
#define GNTCOPY_source_gref (1U << 0)
#define GNTCOPY_dest_gref   (1U << 1)

/*
 * One side of a copy: a grant reference of `domid` (with the flag), or a
 * guest frame of the caller's own (domid DOMID_SELF or the caller's id).
 */
struct XEN_BITWISE_COPYABLE gnttab_copy_ptr {
    union {
        grant_ref_t ref;
        uint64_t    gmfn;   /* xen_pfn_t, 64 bits in a 64-bit guest */
    } u;
    domid_t  domid;
    uint16_t offset;
};

/*
 * GNTTABOP_copy: copies `len` bytes from source to dest, each within one
 * page (offset + len <= 4096, else GNTST_bad_copy_arg).
 * IN source, dest: the operands (see gnttab_copy_ptr).
 * IN len, flags: bytes; GNTCOPY_*.
 * OUT status: GNTST_*.
 */
struct XEN_BITWISE_COPYABLE gnttab_copy {
    struct gnttab_copy_ptr source;
    struct gnttab_copy_ptr dest;
    uint16_t len;
    uint16_t flags;
    int16_t  status;
};

#endif
