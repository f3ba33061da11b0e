#ifndef XEN_TYPES_H
#define XEN_TYPES_H

#include <stdint.h>

/* A domain's identifier. Domain 0 is the privileged one; DOMID_SELF means
   "the calling domain" wherever a hypercall takes a domid. */
typedef uint16_t domid_t;
#define DOMID_FIRST_RESERVED 0x7FF0
#define DOMID_SELF           0x7FF0

/*
 * Swift imports a C union as a type it will not copy as plain bytes (not
 * BitwiseCopyable), which the hypervisor's whole-struct copies from guest
 * memory need. A union of integers is plain bytes; this says so to Swift.
 * It changes no layout, and compilers other than clang ignore it.
 */
#if defined(__has_attribute)
#if __has_attribute(swift_attr)
#define XEN_PLAIN_BYTES __attribute__((swift_attr("conforms_to:Swift.BitwiseCopyable")))
#endif
#endif
#ifndef XEN_PLAIN_BYTES
#define XEN_PLAIN_BYTES
#endif

#endif
