#ifndef XEN_TYPES_H
#define XEN_TYPES_H

#include <stdint.h>

/* A domain's identifier. Domain 0 is the privileged one; DOMID_SELF means
   "the calling domain" wherever a hypercall takes a domid. */
typedef uint16_t domid_t;
#define DOMID_FIRST_RESERVED 0x7FF0
#define DOMID_SELF           0x7FF0

#endif
