#ifndef XEN_VCPU_H
#define XEN_VCPU_H

#include <stdint.h>

/*
 * vcpu_op(cmd, vcpuid, arg): per-vCPU operations. Implemented here: the
 * runstate area, the one-shot timer, stopping the (never started) periodic
 * timer, and moving vcpu_info; every other command is -ENOSYS. A vcpuid the domain does not
 * have is -ENOENT. The timer commands act on the calling vCPU only: naming
 * another vCPU is -EINVAL.
 */
#define VCPUOP_register_runstate_memory_area 5   /* arg: struct vcpu_register_runstate_memory_area */
#define VCPUOP_stop_periodic_timer    7   /* arg unused */
#define VCPUOP_set_singleshot_timer   8   /* arg: struct vcpu_set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer  9   /* arg unused */
#define VCPUOP_register_vcpu_info    10   /* arg: struct vcpu_register_vcpu_info */

/*
 * Arms the calling vCPU's one-shot timer for an absolute system time (the
 * nanoseconds since boot that vcpu_time_info describes). Written by the
 * guest, read by the hypervisor. A time already past fires at once, unless
 * flags has VCPU_SSHOTTMR_future: then the call fails with -ETIME and the
 * timer is left as it was.
 * 16 bytes from a 64-bit guest (the last 4 are padding); a 32-bit guest's
 * is 12 (compat_vcpu_set_singleshot_timer, xen_compat.h).
 */
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags;           /* VCPU_SSHOTTMR_* */
};

#define VCPU_SSHOTTMR_future  (1U << 0)

/*
 * What a vCPU has been doing: the state it is in since state_entry_time,
 * and the total time (ns of system time) it has spent in each state.
 * Written by the hypervisor into the guest's area whenever the vCPU
 * changes state, read by the guest (Linux's steal-time clock).
 * 48 bytes from a 64-bit guest; a 32-bit guest's is 44
 * (compat_vcpu_runstate_info, xen_compat.h).
 */
#define RUNSTATE_running   0   /* on a CPU */
#define RUNSTATE_runnable  1   /* ready, waiting for a CPU */
#define RUNSTATE_blocked   2   /* waiting for an event or a timer */
#define RUNSTATE_offline   3   /* down, or the domain has ended */
struct vcpu_runstate_info {
    int32_t  state;
    uint64_t state_entry_time;
    uint64_t time[4];
};

/*
 * Where the guest wants its vcpu_runstate_info kept: a guest-virtual
 * address, translated with the vCPU's own page tables at each update (as
 * Xen does for HVM guests); 0 stops the updates. Written by the guest,
 * read by the hypervisor, which writes the area at once: an address it
 * cannot write is -EFAULT. 8 bytes in both modes (a union with a uint64_t).
 */
struct vcpu_register_runstate_memory_area {
    uint64_t addr;
};

/*
 * Moves a vCPU's vcpu_info out of shared_info, to guest-physical address
 * mfn * 4096 + offset (for a PVH guest "mfn" is a guest frame). Written by
 * the guest, read by the hypervisor. The structure must fit in the page,
 * rsvd must be 0, the frame must be the domain's RAM, and it can be done
 * once per vCPU: otherwise -EINVAL. Any vCPU of the domain may be named
 * (Linux places every CPU's vcpu_info from the boot CPU).
 */
struct vcpu_register_vcpu_info {
    uint64_t mfn;
    uint32_t offset;
    uint32_t rsvd;
};

#endif
