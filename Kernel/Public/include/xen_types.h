#ifndef XEN_TYPES_H
#define XEN_TYPES_H

#include <stdint.h>

/* A domain's identifier. Domain 0 is the privileged one; DOMID_SELF means
   "the calling domain" wherever a hypercall takes a domid. */
typedef uint16_t domid_t;
#define DOMID_FIRST_RESERVED 0x7FF0
#define DOMID_SELF           0x7FF0

/* Every ABI struct is plain bytes, and the hypervisor copies each one from
   guest memory whole with a helper that asks for Swift's BitwiseCopyable.
   Swift infers that for a C struct, except for one with a union in it:
   those say it themselves. Compilers other than Swift's ignore this. */
#if defined(__has_attribute)
#if __has_attribute(swift_attr)
#define XEN_BITWISE_COPYABLE __attribute__((swift_attr("conforms_to:Swift.BitwiseCopyable")))
#endif
#endif
#ifndef XEN_BITWISE_COPYABLE
#define XEN_BITWISE_COPYABLE
#endif

#endif
