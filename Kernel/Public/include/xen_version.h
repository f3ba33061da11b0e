#ifndef XEN_VERSION_H
#define XEN_VERSION_H

#include <stdint.h>

/*
 * xen_version(cmd, arg): what the hypervisor is. Sub-ops and the size of the
 * buffer each one fills (the guest owns the buffer; the hypervisor writes it).
 */
#define XENVER_version              0   /* returns (major << 16) | minor; arg unused */
#define XENVER_extraversion         1   /* char[16], NUL-terminated */
#define XENVER_compile_info         2   /* struct xen_compile_info */
#define XENVER_capabilities         3   /* char[1024], e.g. "hvm-3.0-x86_64 " */
#define XENVER_changeset            4   /* char[64] */
#define XENVER_platform_parameters  5   /* struct xen_platform_parameters */
#define XENVER_get_features         6   /* struct xen_feature_info, in/out */
#define XENVER_pagesize             7   /* returns the page size; arg unused */
#define XENVER_guest_handle         8   /* uint8_t[16]: the domain's handle */
#define XENVER_commandline          9   /* char[1024]: the hypervisor's command line */

typedef char xen_extraversion_t[16];
typedef char xen_capabilities_info_t[1024];
typedef char xen_changeset_info_t[64];
typedef char xen_commandline_t[1024];
typedef uint8_t xen_domain_handle_t[16];

struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};

struct xen_platform_parameters {
    uint64_t virt_start;   /* lowest hypervisor-reserved virtual address (0 for PVH) */
};

/* The guest sets submap_idx; the hypervisor fills submap with the feature
   bits 32 * submap_idx .. 32 * submap_idx + 31. */
struct xen_feature_info {
    uint32_t submap_idx;
    uint32_t submap;
};

/* Feature bits (XENVER_get_features). */
#define XENFEAT_writable_page_tables        0
#define XENFEAT_auto_translated_physmap     2
#define XENFEAT_supervisor_mode_kernel      3
#define XENFEAT_hvm_callback_vector         8
#define XENFEAT_hvm_safe_pvclock            9
#define XENFEAT_dom0                       11

#endif
