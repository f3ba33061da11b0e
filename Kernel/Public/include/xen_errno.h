#ifndef XEN_ERRNO_H
#define XEN_ERRNO_H

/* Error numbers a hypercall returns, negated, in RAX (Xen uses the Linux
   values). */
#define XEN_EPERM    1
#define XEN_ENOENT   2
#define XEN_ESRCH    3
#define XEN_E2BIG    7
#define XEN_EAGAIN  11
#define XEN_ENOMEM  12
#define XEN_EACCES  13
#define XEN_EFAULT  14
#define XEN_EBUSY   16
#define XEN_EEXIST  17
#define XEN_EINVAL  22
#define XEN_ENOSPC  28
#define XEN_ERANGE  34
#define XEN_ENOSYS  38
#define XEN_ETIME   62

#endif
