#ifndef XEN_HVM_H
#define XEN_HVM_H

#include <stdint.h>
#include "xen_types.h"

/* hvm_op(cmd, arg): HVM parameters, per domain. */
#define HVMOP_set_param  0
#define HVMOP_get_param  1

/* In for set_param (all fields), in/out for get_param (the hypervisor
   writes value). domid is DOMID_SELF or the caller's own id. */
struct xen_hvm_param {
    domid_t  domid;
    uint16_t pad;
    uint32_t index;
    uint64_t value;
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
