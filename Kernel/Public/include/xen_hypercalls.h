#ifndef XEN_HYPERCALLS_H
#define XEN_HYPERCALLS_H

/*
 * Hypercall numbers. The guest puts the number in RAX and up to five
 * arguments in RDI, RSI, RDX, R10, R8, then executes VMCALL (Intel) or
 * VMMCALL (AMD), normally through the hypercall page. The result comes back
 * in RAX: zero or positive on success, a negative errno on failure.
 */
#define __HYPERVISOR_set_timer_op        15
#define __HYPERVISOR_memory_op           12
#define __HYPERVISOR_xen_version         17
#define __HYPERVISOR_console_io          18
#define __HYPERVISOR_grant_table_op      20
#define __HYPERVISOR_vcpu_op             24
#define __HYPERVISOR_sched_op            29
#define __HYPERVISOR_event_channel_op    32
#define __HYPERVISOR_hvm_op              34
#define __HYPERVISOR_sysctl              35
#define __HYPERVISOR_domctl              36

/* The hypercall page holds one 32-byte stub per hypercall number. */
#define XEN_HYPERCALL_STUB_SIZE          32
#define XEN_HYPERCALL_COUNT              128

#endif
