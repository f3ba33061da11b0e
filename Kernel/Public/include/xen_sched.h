#ifndef XEN_SCHED_H
#define XEN_SCHED_H

#include <stdint.h>
#include "xen_types.h"

/* sched_op(cmd, arg): give up the CPU, or end. */
#define SCHEDOP_yield           0   /* arg unused */
#define SCHEDOP_block           1   /* sleep until an event is pending; arg unused */
#define SCHEDOP_shutdown        2   /* arg: struct sched_shutdown */
#define SCHEDOP_poll            3
#define SCHEDOP_remote_shutdown 4
#define SCHEDOP_shutdown_code   5

/* Why a domain shuts down: written by the guest, read by the hypervisor
   (and by dom0 through getinfo). */
struct sched_shutdown {
    uint32_t reason;
};

/*
 * SCHEDOP_poll: block until one of `ports` is pending or system time reaches
 * `timeout` (absolute ns since boot; 0: no timeout). Written by the guest.
 * At most 128 ports. A listed port that is pending already ends the call at
 * once (0); so does, here, an event on any of the domain's ports later.
 */
struct sched_poll {
    uint64_t ports;           /* guest pointer to evtchn_port_t (uint32_t)[nr_ports] */
    uint32_t nr_ports;
    uint64_t timeout;
};

#define SHUTDOWN_poweroff    0
#define SHUTDOWN_reboot      1
#define SHUTDOWN_suspend     2
#define SHUTDOWN_crash       3
#define SHUTDOWN_watchdog    4
#define SHUTDOWN_soft_reset  5

#endif
