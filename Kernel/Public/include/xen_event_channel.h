#ifndef XEN_EVENT_CHANNEL_H
#define XEN_EVENT_CHANNEL_H

#include <stdint.h>
#include "xen_types.h"

/*
 * Event channels: Xen's interrupts. A port is a small number, private to a
 * domain, naming one channel. Raising an event sets the port's bit in
 * shared_info.evtchn_pending; the hypervisor then sets the word's bit in the
 * notified vCPU's vcpu_info.evtchn_pending_sel and evtchn_upcall_pending, and
 * (once upcalls are injected) interrupts the vCPU. The guest clears the bits
 * it has handled. A port whose bit is set in shared_info.evtchn_mask (the
 * guest's) stays pending but notifies nobody until it is unmasked.
 *
 * With the 2-level layout of a 64-bit guest there are 64 * 64 = 4096 ports,
 * 0 to 4095. Port 0 is never handed out, so 0 can mean "no port".
 *
 * event_channel_op(cmd, arg): cmd is an EVTCHNOP_* number, arg points at the
 * struct named with each. Every struct is the same for 32- and 64-bit guests
 * (no pointers, no longs). "IN" fields are written by the guest and only read
 * by the hypervisor; "OUT" fields are written by the hypervisor, which copies
 * the whole struct back on success.
 */
#define EVTCHNOP_bind_interdomain   0
#define EVTCHNOP_bind_virq          1
#define EVTCHNOP_bind_pirq          2   /* physical IRQs: not offered here (-ENOSYS) */
#define EVTCHNOP_close              3
#define EVTCHNOP_send               4
#define EVTCHNOP_status             5
#define EVTCHNOP_alloc_unbound      6
#define EVTCHNOP_bind_ipi           7
#define EVTCHNOP_bind_vcpu          8
#define EVTCHNOP_unmask             9
#define EVTCHNOP_reset             10
/* The FIFO ABI. Not offered here: -ENOSYS, and a guest (Linux) then uses
   the 2-level ABI. */
#define EVTCHNOP_init_control      11
#define EVTCHNOP_expand_array      12
#define EVTCHNOP_set_priority      13
/* Xen's own restart of a preempted reset; takes a struct evtchn_reset. A
   reset is never preempted here, so this is the same as EVTCHNOP_reset. */
#define EVTCHNOP_reset_cont        14

/* A port number, local to one domain. */
typedef uint32_t evtchn_port_t;

/* Ports in the 2-level ABI of a 64-bit guest: 64 words of 64 bits. */
#define EVTCHN_2L_NR_CHANNELS 4096

/*
 * EVTCHNOP_alloc_unbound: opens a port in domain `dom` that waits for domain
 * `remote_dom` to connect to it (EVTCHNOP_bind_interdomain).
 * IN dom: DOMID_SELF or the caller's own id; only a privileged domain may
 *   name another (the domain builder makes the console and store ports so).
 * IN remote_dom: who may connect; DOMID_SELF means the caller.
 * OUT port: the new port in `dom`.
 * Errors: -ESRCH no such domain, -EPERM another domain from an unprivileged
 * caller, -ENOSPC no free port.
 */
struct evtchn_alloc_unbound {
    domid_t dom;
    domid_t remote_dom;
    evtchn_port_t port;
};

/*
 * EVTCHNOP_bind_interdomain: connects a new port of the caller to
 * `remote_port` of `remote_dom`, which must be unbound and waiting for the
 * caller. Both ends are then interdomain, each naming the other. The new
 * port is made pending at once: events sent to the unbound end were dropped.
 * IN remote_dom: DOMID_SELF (a loopback channel) or a domain id; no
 *   privilege is needed to name another domain.
 * IN remote_port: the other domain's unbound port.
 * OUT local_port: the caller's new port.
 * Errors: -ESRCH no such domain, -ENOSPC no free port, -EINVAL the remote
 * port is not unbound or waits for another domain.
 */
struct evtchn_bind_interdomain {
    domid_t remote_dom;
    evtchn_port_t remote_port;
    evtchn_port_t local_port;
};

/*
 * EVTCHNOP_bind_virq: connects a new port of the caller to a virtual
 * interrupt (VIRQ_*) the hypervisor raises. A per-vCPU VIRQ (VIRQ_TIMER)
 * can be bound once on each vCPU and always notifies that vCPU; a global
 * one once per domain, on vCPU 0 (EVTCHNOP_bind_vcpu may move it later).
 * IN virq: VIRQ_*.
 * IN vcpu: the vCPU; 0 for a global VIRQ.
 * OUT port: the new port.
 * Errors: -EINVAL virq >= NR_VIRQS or a global one not on vCPU 0, -ENOENT no
 * such vCPU, -EEXIST already bound there, -ENOSPC no free port.
 */
struct evtchn_bind_virq {
    uint32_t virq;
    uint32_t vcpu;
    evtchn_port_t port;
};

/*
 * EVTCHNOP_bind_ipi: a new port of the caller for interrupts between its own
 * vCPUs: EVTCHNOP_send on it notifies `vcpu`, which cannot be changed.
 * IN vcpu: the vCPU to notify.
 * OUT port: the new port.
 * Errors: -ENOENT no such vCPU, -ENOSPC no free port.
 */
struct evtchn_bind_ipi {
    uint32_t vcpu;
    evtchn_port_t port;
};

/*
 * EVTCHNOP_close: closes one of the caller's ports; it becomes free, and its
 * pending bit is cleared. The other end of an interdomain channel goes back
 * to unbound, waiting for the caller's domain to connect again.
 * IN port.
 * Errors: -EINVAL a port that is not open.
 */
struct evtchn_close {
    evtchn_port_t port;
};

/*
 * EVTCHNOP_send: raises the event at the other end of the caller's port: the
 * remote port of an interdomain channel, or the port itself for an IPI. On an
 * unbound port the event is dropped (success).
 * IN port.
 * Errors: -EINVAL a port that is closed, or bound to a VIRQ.
 */
struct evtchn_send {
    evtchn_port_t port;
};

/*
 * EVTCHNOP_status: what one port of domain `dom` is connected to.
 * IN dom: DOMID_SELF or the caller's id; another domain needs privilege.
 * IN port.
 * OUT status: EVTCHNSTAT_*.
 * OUT vcpu: the vCPU the port notifies.
 * OUT u: for unbound, the domain that may connect; for interdomain, the other
 *   end; for virq, its number. The rest of `u` is zero.
 * Errors: -ESRCH no such domain, -EINVAL a port number beyond the ports the
 * domain has (a free port within them is EVTCHNSTAT_closed), -EPERM another
 * domain from an unprivileged caller.
 */
#define EVTCHNSTAT_closed       0   /* free, or port 0 */
#define EVTCHNSTAT_unbound      1   /* waiting for a remote domain to connect */
#define EVTCHNSTAT_interdomain  2   /* connected to a port of a domain */
#define EVTCHNSTAT_pirq         3   /* a physical IRQ (never, here) */
#define EVTCHNSTAT_virq         4   /* a virtual IRQ */
#define EVTCHNSTAT_ipi          5   /* an IPI between the domain's vCPUs */

struct evtchn_status {
    domid_t dom;
    evtchn_port_t port;
    uint32_t status;
    uint32_t vcpu;
    union XEN_BITWISE_COPYABLE {
        struct {
            domid_t dom;
        } unbound;
        struct {
            domid_t dom;
            evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};

/*
 * EVTCHNOP_bind_vcpu: which of the caller's vCPUs a port notifies. Possible
 * for unbound and interdomain ports and global VIRQs; IPIs and per-vCPU VIRQs
 * keep the vCPU they were bound with. A port starts on vCPU 0 (and a closed
 * and reopened one starts there again).
 * IN port, vcpu.
 * Errors: -ENOENT no such vCPU, -EINVAL a closed port or one that cannot move.
 */
struct evtchn_bind_vcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};

/*
 * EVTCHNOP_unmask: clears the port's bit in evtchn_mask and, if the bit was
 * set and the port is pending, notifies the port's vCPU as if the event had
 * just arrived. (A guest may clear the mask bit itself; it asks the
 * hypervisor when it wants the notification.)
 * IN port.
 * Errors: -EINVAL a port number beyond the ports the domain has.
 */
struct evtchn_unmask {
    evtchn_port_t port;
};

/*
 * EVTCHNOP_reset: closes every port of domain `dom`, as EVTCHNOP_close would.
 * IN dom: DOMID_SELF or the caller's id; another domain needs privilege, and
 *   must be paused (by XEN_DOMCTL_pausedomain).
 * Errors: -ESRCH, -EPERM, -EINVAL another domain that is not paused.
 */
struct evtchn_reset {
    domid_t dom;
};

/*
 * Virtual interrupts, raised by the hypervisor on the port a guest bound with
 * EVTCHNOP_bind_virq. Per-vCPU ones are raised for one vCPU; global ones for
 * the domain (the system-wide ones, such as VIRQ_DOM_EXC, for dom0).
 */
#define VIRQ_TIMER        0   /* per vCPU: its one-shot timer fired */
#define VIRQ_DEBUG        1   /* per vCPU: dump debug state */
#define VIRQ_CONSOLE      2   /* global (dom0): input on the hypervisor's console */
#define VIRQ_DOM_EXC      3   /* global (dom0): a domain shut down, crashed or was destroyed */
#define VIRQ_TBUF         4   /* global: trace records waiting */
#define VIRQ_DEBUGGER     6   /* global: a domain paused for its debugger */
#define VIRQ_XENOPROF     7   /* per vCPU: profiling sample */
#define VIRQ_CON_RING     8   /* global: hypervisor console ring has new bytes */
#define VIRQ_PCPU_STATE   9   /* global: a physical CPU changed state */
#define VIRQ_MEM_EVENT   10   /* global: a memory event */
#define VIRQ_ARGO        11   /* global: Argo message */
#define VIRQ_ENOMEM      12   /* global: the hypervisor is low on memory */
#define VIRQ_XENPMU      13   /* per vCPU: performance counter interrupt */
#define VIRQ_ARCH_0      16   /* 16 to 23: architecture-specific, global on x86 */
#define VIRQ_ARCH_7      23
#define NR_VIRQS         24

#endif
