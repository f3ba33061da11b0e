#ifndef XEN_BLKIF_H
#define XEN_BLKIF_H

#include <stdint.h>
#include "xen_grant_table.h"

/*
 * The PV block device protocol (Xen's io/blkif.h, over the shared ring of
 * io/ring.h): a domU's block frontend (Linux's xen-blkfront) puts requests
 * on a ring page it grants to the backend domain (dom0's blkback), which
 * does the I/O and puts a response in the same ring for each request.
 * The hypervisor never reads any of this; it lives in Public because the
 * numbers and layouts are the ABI a Xen guest speaks.
 *
 * Data never travels in the ring: each request names up to 11 segments,
 * each a page the frontend granted to the backend (a grant reference) and
 * a run of 512-byte sectors inside it. Sizes here are for x86_64 (the
 * "x86_64-abi" protocol a frontend may name in its "protocol" node).
 */

/* Free-running ring indices: compare and subtract them with wrapping
   32-bit arithmetic; an index names slot (index & (entries - 1)). */
typedef uint32_t RING_IDX;

/* A virtual device number (xenstore's virtual-device, e.g. 51712 for xvda:
   major 202 << 8); the frontend repeats it in each request's handle. */
typedef uint16_t blkif_vdev_t;
/* A sector number in 512-byte units, whatever the disk's sector size. */
typedef uint64_t blkif_sector_t;

/* blkif_request.operation. */
#define BLKIF_OP_READ             0  /* disk -> the segments' pages */
#define BLKIF_OP_WRITE            1  /* the segments' pages -> disk */
#define BLKIF_OP_WRITE_BARRIER    2  /* only if the backend wrote feature-barrier=1 */
#define BLKIF_OP_FLUSH_DISKCACHE  3  /* only if feature-flush-cache=1; with segments, a write first */
#define BLKIF_OP_RESERVED_1       4  /* never used */
#define BLKIF_OP_DISCARD          5  /* only if feature-discard=1 */
#define BLKIF_OP_INDIRECT         6  /* only if feature-max-indirect-segments is there */

/* Segments a request names directly (indirect requests name more). */
#define BLKIF_MAX_SEGMENTS_PER_REQUEST 11

/* blkif_response.status. */
#define BLKIF_RSP_EOPNOTSUPP  (-2)   /* the operation is not supported */
#define BLKIF_RSP_ERROR       (-1)   /* it failed (an I/O error, or a bad request) */
#define BLKIF_RSP_OKAY          0

/* Bits of the backend's "info" node. */
#define VDISK_CDROM      0x1
#define VDISK_REMOVABLE  0x2
#define VDISK_READONLY   0x4

/* The unit of sector_number, first_sect and last_sect. */
#define BLKIF_SECTOR_SIZE 512

/*
 * One segment, written by the frontend: the backend moves sectors
 * first_sect..last_sect (inclusive, each 0...7 in a 4 KiB page, first <=
 * last) of the granted page gref. A backend checks both before use.
 */
struct blkif_request_segment {
    grant_ref_t gref;
    uint8_t first_sect;
    uint8_t last_sect;
};

/*
 * A request, written by the frontend into a ring slot before it moves
 * req_prod. The backend copies it out of the shared page whole before it
 * checks any field (the frontend can change the slot at any time).
 * operation:     a BLKIF_OP_*.
 * nr_segments:   for read and write, 1...11 entries of seg are used.
 * handle:        the virtual device (unused by a backend with one vbd per ring).
 * id:            the frontend's own tag, echoed in the response.
 * sector_number: the first 512-byte sector on the disk (read and write).
 */
struct blkif_request {
    uint8_t operation;
    uint8_t nr_segments;
    blkif_vdev_t handle;
    uint64_t id;
    blkif_sector_t sector_number;
    struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

/*
 * A response, written by the backend into the slot at its private
 * producer index before it moves rsp_prod: one per request, with the
 * request's id and operation and a BLKIF_RSP_* status.
 */
struct blkif_response {
    uint64_t id;
    uint8_t operation;
    int16_t status;
};

/* A ring slot holds a request, and later the response that answers some
   request (not necessarily the one that was in that slot). */
union blkif_sring_entry {
    struct blkif_request req;
    struct blkif_response rsp;
};

/*
 * The shared ring page (io/ring.h's sring), granted by the frontend.
 * req_prod:  frontend: requests written so far.
 * req_event: backend: the frontend notifies when req_prod passes it
 *            (the backend sets it to req_cons + 1 before it sleeps).
 * rsp_prod:  backend: responses written so far.
 * rsp_event: frontend: the backend notifies when rsp_prod passes it.
 * The consumer indices (req_cons, rsp_cons) are private to each side and
 * not in the page. Entries start after 48 bytes of padding: the ring holds
 * the largest power of two of them that fits the rest of the page.
 */
struct blkif_sring {
    RING_IDX req_prod, req_event;
    RING_IDX rsp_prod, rsp_event;
    uint8_t __pad[48];
    union blkif_sring_entry ring[1];   /* BLKIF_RING_ENTRIES_ONE_PAGE of them */
};

/* Bytes before the first entry, and the entries of a one-page ring:
   (4096 - 64) / 112 = 36, rounded down to a power of two (checked in
   AbiLayoutChecks.c). */
#define BLKIF_SRING_HEADER_SIZE     64
#define BLKIF_RING_ENTRIES_ONE_PAGE 32

/* The protocol a 64-bit x86 frontend names in its "protocol" node (absent
   means the backend's native ABI, which is this one here). */
#define XEN_IO_PROTO_ABI_X86_64 "x86_64-abi"

#endif
