#ifndef XEN_HVM_VCPU_H
#define XEN_HVM_VCPU_H

#include <stdint.h>
#include "xen_types.h"

/*
 * The initial state of an HVM/PVH vCPU (Xen's public/hvm/hvm_vcpu.h).
 * Only 32-bit mode is accepted here, in the PVH start state: CR0 = PE
 * (and ET), paging off, CR4 = 0, flat segments. The hypervisor checks it and
 * refuses anything else with -EINVAL.
 */
#define VCPU_HVM_MODE_32B  0
#define VCPU_HVM_MODE_64B  1

struct vcpu_hvm_x86_32 {
    uint32_t eax, ecx, edx, ebx;
    uint32_t esp, ebp, esi, edi;
    uint32_t eip, eflags;
    uint32_t cr0, cr3, cr4;
    uint32_t pad1;
    uint64_t efer;
    uint32_t cs_base, ds_base, ss_base, es_base, tr_base;
    uint32_t cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
    uint16_t cs_ar, ds_ar, ss_ar, es_ar, tr_ar;
    uint16_t pad2[3];
};

/* The 64-bit layout (VCPU_HVM_MODE_64B), refused here; it is declared so
   that the union, and so the struct, has Xen's size. */
struct vcpu_hvm_x86_64 {
    uint64_t rax, rcx, rdx, rbx;
    uint64_t rsp, rbp, rsi, rdi;
    uint64_t rip, rflags;
    uint64_t cr0, cr3, cr4;
    uint64_t efer;
};

/* 128 bytes, as in Xen: the larger of the two layouts (the 32-bit one)
   after the mode. Written by the caller, read by the hypervisor. */
struct XEN_BITWISE_COPYABLE vcpu_hvm_context {
    uint32_t mode;                /* VCPU_HVM_MODE_* */
    uint32_t pad;
    union {
        struct vcpu_hvm_x86_32 x86_32;
        struct vcpu_hvm_x86_64 x86_64;
    } cpu_regs;
};

#endif
