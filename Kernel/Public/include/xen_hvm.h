#ifndef XEN_HVM_H
#define XEN_HVM_H

#include <stdint.h>
#include "xen_types.h"

/* hvm_op(cmd, arg): HVM parameters, per domain. */
#define HVMOP_set_param  0
#define HVMOP_get_param  1
#define HVMOP_set_evtchn_upcall_vector 23

/* In for set_param (all fields), in/out for get_param (the hypervisor
   writes value). domid is DOMID_SELF or the caller's own id. */
struct xen_hvm_param {
    domid_t  domid;
    uint16_t pad;
    uint32_t index;
    uint64_t value;
};

/* In for HVMOP_set_evtchn_upcall_vector, for the calling domain: from now
   on vCPU `vcpu` gets its event-channel upcall as `vector` through its
   local APIC (edge-triggered: raised when evtchn_upcall_pending goes from
   0 to 1, and the guest writes EOI), instead of HVM_PARAM_CALLBACK_IRQ's.
   -EINVAL for a vector below 0x10, -ENOENT for a vCPU the domain lacks. */
struct xen_hvm_evtchn_upcall_vector {
    uint32_t vcpu;
    uint8_t  vector;
};

/* Parameter indices. */
#define HVM_PARAM_CALLBACK_IRQ     0
#define HVM_PARAM_STORE_PFN        1
#define HVM_PARAM_STORE_EVTCHN     2
#define HVM_PARAM_PAE_ENABLED      4
#define HVM_PARAM_CONSOLE_PFN     17
#define HVM_PARAM_CONSOLE_EVTCHN  18
#define HVM_NR_PARAMS             40

#endif
