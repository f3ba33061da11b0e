#ifndef XEN_VCPU_H
#define XEN_VCPU_H

#include <stdint.h>

/*
 * vcpu_op(cmd, vcpuid, arg): per-vCPU operations. Only the one-shot timer is
 * implemented here; every other command is -ENOSYS. A vcpuid the domain does
 * not have is -ENOENT. The timer commands act on the calling vCPU only:
 * naming another vCPU is -EINVAL.
 */
#define VCPUOP_set_singleshot_timer   8   /* arg: struct vcpu_set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer  9   /* arg unused */

/*
 * Arms the calling vCPU's one-shot timer for an absolute system time (the
 * nanoseconds since boot that vcpu_time_info describes). Written by the
 * guest, read by the hypervisor. A time already past fires at once, unless
 * flags has VCPU_SSHOTTMR_future: then the call fails with -ETIME and the
 * timer is left as it was.
 */
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags;           /* VCPU_SSHOTTMR_* */
};

#define VCPU_SSHOTTMR_future  (1U << 0)

#endif
