#ifndef XEN_CONSOLE_H
#define XEN_CONSOLE_H

#include <stdint.h>

/*
 * console_io(cmd, count, buffer): the hypervisor's own console, for early
 * output. write: the guest gives count bytes at buffer, the hypervisor
 * prints them. read (dom0 only, -EPERM for others): the hypervisor copies
 * up to count bytes typed on the serial console and returns how many.
 */
#define CONSOLEIO_write  0
#define CONSOLEIO_read   1

/*
 * The PV console (Xen's io/console.h): one page per domain, shared between
 * the domain (the frontend, Linux's hvc0) and the console backend in dom0.
 * The domain finds it through HVM_PARAM_CONSOLE_PFN (a frame of its own,
 * which the domain builder filled with zeros) and the event channel
 * HVM_PARAM_CONSOLE_EVTCHN, whose other end is the backend's.
 *
 * Two byte rings with free-running 32-bit indices (mask them with the
 * ring's size, a power of two):
 *   out: the domain writes output bytes and moves out_prod; the backend
 *        reads them and moves out_cons.
 *   in:  the backend writes typed bytes and moves in_prod; the domain reads
 *        them and moves in_cons.
 * Each side notifies the other's port after moving an index, and must
 * order its accesses: data before the producer index it covers, the
 * consumer index after the data it has read.
 */
typedef uint32_t XENCONS_RING_IDX;

struct xencons_interface {
    char in[1024];
    char out[2048];
    XENCONS_RING_IDX in_cons, in_prod;     /* in_cons: domain, in_prod: backend */
    XENCONS_RING_IDX out_cons, out_prod;   /* out_cons: backend, out_prod: domain */
};

#define XENCONS_IN_RING_SIZE   1024
#define XENCONS_OUT_RING_SIZE  2048

#endif
