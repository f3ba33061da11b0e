/*
 * The guest-visible ABI, one header per topic, all written from Xen's
 * documented public interface (numbers and layouts only). The hypervisor,
 * the guests and the host tests import this one module; the layout checks
 * in AbiLayoutChecks.c fail the build if a struct drifts from Xen's size.
 */
#ifndef XEN_PUBLIC_H
#define XEN_PUBLIC_H

#include "xen_types.h"
#include "xen_hypercalls.h"
#include "xen_errno.h"
#include "xen_version.h"
#include "xen_console.h"
#include "xen_sched.h"
#include "xen_hvm.h"
#include "xen_start_info.h"
#include "xen_cpuid.h"
#include "xen_elfnote.h"
#include "xen_memory.h"
#include "xen_domctl.h"
#include "xen_hvm_vcpu.h"
#include "xen_sysctl.h"
#include "xen_vcpu.h"
#include "xen_shared_info.h"
#include "xen_compat.h"
#include "xen_event_channel.h"
#include "xen_xs_wire.h"
#include "xen_grant_table.h"
#include "xen_blkif.h"
#include "xen_xenbus.h"

#endif
