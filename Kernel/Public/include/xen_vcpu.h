#ifndef XEN_VCPU_H
#define XEN_VCPU_H

#include <stdint.h>

/*
 * vcpu_op(cmd, vcpuid, arg): per-vCPU operations. Implemented here: the
 * one-shot timer, stopping the (never started) periodic timer, and moving
 * vcpu_info; every other command is -ENOSYS. A vcpuid the domain does not
 * have is -ENOENT. The timer commands act on the calling vCPU only: naming
 * another vCPU is -EINVAL.
 */
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
