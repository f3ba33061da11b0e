#ifndef XEN_XS_WIRE_H
#define XEN_XS_WIRE_H

#include <stdint.h>

/*
 * XenStore's wire protocol: how a domain talks to the store daemon (which
 * runs in dom0 here) through one shared page. The hypervisor never reads
 * these; they live in Public because they are part of what a Xen guest
 * expects (Linux's xenbus speaks exactly this), and the numbers and layout
 * are Xen's.
 *
 * A message is a struct xsd_sockmsg header followed by `len` payload bytes.
 * Payloads are NUL-separated strings ("path\0value" has no NUL after the
 * value for XS_WRITE; most others end each string with a NUL). Errors come
 * back as an XS_ERROR message whose payload is the errno's *name* as text
 * with a NUL ("ENOENT\0"), never its number: see XS_ERROR_NAMES below.
 */

/* The message types (xsd_sockmsg.type). The client (the guest) sends
   requests; the daemon answers each with a message of the same type (or
   XS_ERROR) carrying the request's req_id and tx_id, and sends
   XS_WATCH_EVENT on its own when a watch fires. */
enum xsd_sockmsg_type {
    XS_CONTROL = 0,              /* debug and control commands (dom0) */
    XS_DIRECTORY = 1,            /* path -> child names, each ending in NUL */
    XS_READ = 2,                 /* path -> value bytes */
    XS_GET_PERMS = 3,            /* path -> permissions as text */
    XS_WATCH = 4,                /* path, token: fire on changes at or below path */
    XS_UNWATCH = 5,              /* path, token: remove that watch */
    XS_TRANSACTION_START = 6,    /* "" -> transaction id as decimal text */
    XS_TRANSACTION_END = 7,      /* "T" commit or "F" abort, tx_id in the header */
    XS_INTRODUCE = 8,            /* domid, ring frame, event port (privileged) */
    XS_RELEASE = 9,              /* domid: forget that domain (privileged) */
    XS_GET_DOMAIN_PATH = 10,     /* domid -> "/local/domain/<domid>" */
    XS_WRITE = 11,               /* path, value: create or replace */
    XS_MKDIR = 12,               /* path: create empty if missing */
    XS_RM = 13,                  /* path: remove with its subtree */
    XS_SET_PERMS = 14,           /* path, permissions... */
    XS_WATCH_EVENT = 15,         /* daemon -> client: path, token */
    XS_ERROR = 16,               /* daemon -> client: errno name */
    XS_IS_DOMAIN_INTRODUCED = 17,/* domid -> "T" or "F" */
    XS_RESUME = 18,              /* domid: clear the shutdown flag (privileged) */
    XS_SET_TARGET = 19,          /* domid, target domid (privileged) */
    /* 20 was XS_RESTRICT, withdrawn by Xen; never reuse it. */
    XS_RESET_WATCHES = 21,       /* drop every watch of this connection */
    XS_DIRECTORY_PART = 22,      /* path, offset -> part of a long directory */
    XS_TYPE_COUNT,               /* one past the last type Xen defines here */
    XS_INVALID = 0xffff          /* never sent */
};
#define XS_DEBUG XS_CONTROL

/*
 * The header in front of every message, in both directions. Written by the
 * sender, whole, before the payload; all fields little-endian u32.
 * type:   an enum xsd_sockmsg_type.
 * req_id: chosen by the client, echoed in the reply (0 in watch events).
 * tx_id:  0 outside a transaction, else an id XS_TRANSACTION_START gave.
 * len:    payload bytes that follow; at most XENSTORE_PAYLOAD_MAX.
 */
struct xsd_sockmsg {
    uint32_t type;
    uint32_t req_id;
    uint32_t tx_id;
    uint32_t len;
};

/* The largest payload either side may send. A daemon drops a client whose
   header announces more (it can no longer find the next message). */
#define XENSTORE_PAYLOAD_MAX 4096

/* Longest paths, in bytes without the NUL: absolute ("/local/domain/1/x")
   and relative (resolved against the caller's /local/domain/<domid>). */
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

/* The errno names an XS_ERROR payload may carry, in Xen's table's order,
   sent as these exact strings: EINVAL, EACCES, EEXIST, EISDIR, ENOENT,
   ENOMEM, ENOSPC, EIO, ENOTEMPTY, ENOSYS, EROFS, EBUSY, EAGAIN, EISCONN,
   E2BIG, EPERM. (Guests/Dom0/Store/StoreError.swift spells them.) */

/* A free-running index into a ring: it only grows (wrapping at 2^32), and
   MASK_XENSTORE_IDX turns it into a byte offset. prod - cons is the number
   of bytes waiting, even across the wrap. */
typedef uint32_t XENSTORE_RING_IDX;
#define XENSTORE_RING_SIZE 1024
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

/*
 * The shared page between a domain and the store: two byte rings.
 * req: the guest writes requests at req_prod and then advances req_prod;
 *      the daemon reads from req_cons and then advances req_cons.
 * rsp: the daemon writes replies and watch events at rsp_prod and then
 *      advances rsp_prod; the guest reads from rsp_cons and advances it.
 * Each side writes the data before its producer index (write barrier
 * between), and reads the producer index before the data (read barrier
 * between); a consumer index is advanced only after the bytes are copied
 * out. After advancing an index, the side notifies the other through the
 * store's event channel.
 * server_features: written by the daemon (XENSTORE_SERVER_FEATURE_*).
 * connection: written by the guest to ask for a reconnect
 *   (XENSTORE_RECONNECT), reset by the daemon to XENSTORE_CONNECTED.
 * error: written by the daemon when it gives up on the connection
 *   (XENSTORE_ERROR_*), if it offers XENSTORE_SERVER_FEATURE_ERROR.
 */
struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];
    char rsp[XENSTORE_RING_SIZE];
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features;
    uint32_t connection;
    uint32_t error;
};

/* server_features bits. */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1
#define XENSTORE_SERVER_FEATURE_ERROR        2

/* connection values. */
#define XENSTORE_CONNECTED 0
#define XENSTORE_RECONNECT 1

/* error values. */
#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1   /* the daemon's side of the link failed */
#define XENSTORE_ERROR_RINGIDX 2   /* the guest's indexes made no sense */
#define XENSTORE_ERROR_PROTO   3   /* the guest broke the protocol (e.g. len too big) */

#endif
