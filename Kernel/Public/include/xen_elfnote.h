#ifndef XEN_ELFNOTE_H
#define XEN_ELFNOTE_H

/*
 * ELF notes (name "Xen") a kernel image carries. PHYS32_ENTRY marks a PVH
 * kernel: its value is the 32-bit physical entry point, entered in 32-bit
 * protected mode with paging off and EBX = the hvm_start_info address.
 */
#define XEN_ELFNOTE_ENTRY             1
#define XEN_ELFNOTE_HYPERCALL_PAGE    2
#define XEN_ELFNOTE_GUEST_OS          6
#define XEN_ELFNOTE_PHYS32_ENTRY     18

#endif
