#ifndef XEN_START_INFO_H
#define XEN_START_INFO_H

#include <stdint.h>

/*
 * The PVH start of day: the hypervisor (or dom0's domain builder) writes
 * one of these into the guest's memory and passes its guest-physical
 * address in EBX. Every address is guest-physical; 0 means "absent".
 */
#define XEN_HVM_START_MAGIC_VALUE 0x336ec578

struct hvm_start_info {
    uint32_t magic;            /* XEN_HVM_START_MAGIC_VALUE */
    uint32_t version;          /* 1: has the memory map fields */
    uint32_t flags;            /* SIF_* */
    uint32_t nr_modules;
    uint64_t modlist_paddr;    /* struct hvm_modlist_entry[nr_modules] */
    uint64_t cmdline_paddr;    /* NUL-terminated */
    uint64_t rsdp_paddr;       /* ACPI RSDP, 0: none */
    uint64_t memmap_paddr;     /* struct hvm_memmap_table_entry[memmap_entries] */
    uint32_t memmap_entries;
    uint32_t reserved;
};

struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

struct hvm_memmap_table_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;             /* XEN_HVM_MEMMAP_TYPE_* (the E820 numbers) */
    uint32_t reserved;
};

#define XEN_HVM_MEMMAP_TYPE_RAM       1
#define XEN_HVM_MEMMAP_TYPE_RESERVED  2
#define XEN_HVM_MEMMAP_TYPE_ACPI      3
#define XEN_HVM_MEMMAP_TYPE_NVS       4
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE  5

/* flags */
#define SIF_PRIVILEGED   (1 << 0)  /* the domain is privileged (dom0) */
#define SIF_INITDOMAIN   (1 << 1)  /* the domain is the initial domain */

#endif
