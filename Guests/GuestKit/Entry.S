/*
 * Entry.S: from the PVH start of day to 64-bit Swift.
 *
 * The loader (our hypervisor, or Xen) reads the PHYS32_ENTRY note below,
 * loads the image at its physical addresses and jumps to pvh_entry in 32-bit
 * protected mode: paging off, flat 4 GiB code and data segments, interrupts
 * off, EBX = guest-physical address of struct hvm_start_info. Every other
 * register, CR4 and EFER are whatever the loader left there.
 * Steps, in order:
 *   1. keep EBX, zero .bss, load a stack;
 *   2. build page tables that identity-map the first 1 GiB with 2 MiB pages
 *      (so guest-virtual = guest-physical for everything a guest touches);
 *   3. enable PAE, EFER.LME (and NXE if the CPU has NX), then paging:
 *      long mode is on, still running 32-bit code (compatibility mode);
 *   4. load a GDT with a 64-bit code segment and far-jump into it;
 *   5. enable SSE (Swift emits SSE instructions);
 *   6. call guest_kit_start (exception handlers, hypercall page), then the
 *      guest's own guest_main(start info), then guest_kit_exit.
 */

#include "xen_elfnote.h"

#define STACK_SIZE          (64 * 1024)

#define CODE_SELECTOR       0x08
#define DATA_SELECTOR       0x10

#define CR0_PE              (1 << 0)
#define CR0_MP              (1 << 1)
#define CR0_EM              (1 << 2)
#define CR0_TS              (1 << 3)
#define CR0_NE              (1 << 5)
#define CR0_WP              (1 << 16)
#define CR0_PG              (1 << 31)
#define CR4_PAE             (1 << 5)
#define CR4_OSFXSR          (1 << 9)
#define CR4_OSXMMEXCPT      (1 << 10)
#define MSR_EFER            0xC0000080
#define EFER_LME            (1 << 8)
#define EFER_NXE            (1 << 11)
#define CPUID_EXTENDED_MAX  0x80000000
#define CPUID_EXTENDED_FEATURES 0x80000001
#define CPUID_EDX_NX        (1 << 20)

/* Page-table entry bits (Intel SDM Vol. 3A 4.5): present, writable, and
   for a page-directory entry, PS = this entry maps a 2 MiB page. */
#define PTE_PRESENT_WRITABLE 0x3
#define PDE_2MIB_PAGE        0x83

/*
 * The PVH note: an ELF note named "Xen" of type PHYS32_ENTRY whose
 * descriptor is the 32-bit entry address. Its presence is what makes this
 * image a PVH kernel; the linker script puts it in a PT_NOTE segment.
 */
    .section .note.Xen, "a", @note
    .p2align 2
    .long 2f - 1f                       /* name size, NUL included */
    .long 4f - 3f                       /* descriptor size */
    .long XEN_ELFNOTE_PHYS32_ENTRY
1:  .asciz "Xen"
2:  .p2align 2
3:  .long pvh_entry
4:  .p2align 2

    .section .text.entry, "ax"
    .code32
    .globl pvh_entry
pvh_entry:
    cli
    cld
    /* 1. CPUID below overwrites EBX, and stosl uses EDI/ECX/EAX: keep the
       start info address in ESI until the Swift call. */
    movl %ebx, %esi

    /* The ELF loader zero-fills .bss already; clearing it again here costs
       little and means no guest depends on that. (Both ends are 4 KiB
       aligned by the linker script, so whole dwords.) */
    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    shrl $2, %ecx
    xorl %eax, %eax
    rep stosl

    movl $boot_stack_top, %esp

    /* 2. PML4[0] -> the PDPT, PDPT[0] -> one page directory, whose 512
       entries map 2 MiB each: entry i maps physical i * 2 MiB. The upper
       halves of all entries are already zero. */
    movl $(boot_pdpt + PTE_PRESENT_WRITABLE), boot_pml4
    movl $(boot_page_directory + PTE_PRESENT_WRITABLE), boot_pdpt

    movl $boot_page_directory, %edi
    movl $PDE_2MIB_PAGE, %eax
    movl $512, %ecx
1:  movl %eax, (%edi)
    addl $0x200000, %eax
    addl $8, %edi
    loop 1b

    /* 3. CR4.PAE, CR3, EFER, then CR0.PG: the CPU enters long mode. */
    movl %cr4, %eax
    orl  $CR4_PAE, %eax
    movl %eax, %cr4

    movl $boot_pml4, %eax
    movl %eax, %cr3

    /* NXE only if the CPU has NX: setting it otherwise is a #GP. */
    movl $EFER_LME, %edi
    movl $CPUID_EXTENDED_MAX, %eax
    cpuid
    cmpl $CPUID_EXTENDED_FEATURES, %eax
    jb   2f
    movl $CPUID_EXTENDED_FEATURES, %eax
    cpuid
    testl $CPUID_EDX_NX, %edx
    jz   2f
    orl  $EFER_NXE, %edi
2:  movl $MSR_EFER, %ecx
    rdmsr
    orl  %edi, %eax
    wrmsr

    movl %cr0, %eax
    orl  $(CR0_PG | CR0_WP | CR0_PE), %eax
    movl %eax, %cr0

    /* 4. Our GDT, then a far jump: loading CS with a descriptor whose L bit
       is set switches from compatibility mode to 64-bit mode. */
    lgdt boot_gdt_pointer
    ljmp $CODE_SELECTOR, $long_mode_entry

    .code64
long_mode_entry:
    movw $DATA_SELECTOR, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    /* The upper halves of all registers are undefined after the switch:
       reload RSP whole. */
    movq $boot_stack_top, %rsp
    xorl %ebp, %ebp                     /* ends the frame-pointer chain */

    /* 5. SSE: no x87 emulation (EM), FPU present (MP), no lazy switching
       (TS), native FPU errors (NE); the OS saves SSE state with FXSAVE
       (OSFXSR) and handles SIMD exceptions (OSXMMEXCPT). The PVH contract
       leaves the FPU state undefined, so reset it and MXCSR too. */
    movq %cr0, %rax
    andq $~(CR0_EM | CR0_TS), %rax
    orq  $(CR0_MP | CR0_NE), %rax
    movq %rax, %cr0
    movq %cr4, %rax
    orq  $(CR4_OSFXSR | CR4_OSXMMEXCPT), %rax
    movq %rax, %cr4
    fninit
    ldmxcsr mxcsr_default(%rip)

    /* 6. Writing ESI into EBX zero-extends it into RBX, which survives the
       calls (callee-saved). */
    movl %esi, %ebx
    movq %rbx, %rdi
    call guest_kit_start                /* GuestStart.swift */
    movq %rbx, %rdi
    call guest_main                     /* the guest's own Swift code */
    call guest_kit_exit                 /* shuts down: does not return */
3:  cli
    hlt
    jmp 3b

    .section .rodata.entry, "a"
    .p2align 3
    /* The accessed bits are preset (type 0x9B, 0x93) so the CPU never has
       to write them into this read-only table. */
boot_gdt:
    .quad 0                             /* null descriptor */
    .quad 0x00AF9B000000FFFF            /* 0x08: 64-bit code (L=1), ring 0 */
    .quad 0x00CF93000000FFFF            /* 0x10: data, ring 0 */
    /* Ring 3, in the order SYSRET wants them (STAR[63:48] = 0x18): */
    .quad 0x00CFFB000000FFFF            /* 0x18: 32-bit code, ring 3 (SYSRET to compatibility mode) */
    .quad 0x00CFF3000000FFFF            /* 0x20: data, ring 3 */
    .quad 0x00AFFB000000FFFF            /* 0x28: 64-bit code, ring 3 */
boot_gdt_end:
    .p2align 3
boot_gdt_pointer:
    .word boot_gdt_end - boot_gdt - 1
    .quad boot_gdt                      /* 32-bit LGDT reads the low half only */
    .p2align 2
mxcsr_default:
    .long 0x1F80                        /* all SIMD exceptions masked */

    .section .bss.entry, "aw", @nobits
    .p2align 12
    /* Global: a guest that runs code in its ring 3 sets the U/S bits. */
    .globl boot_pml4, boot_pdpt, boot_page_directory
boot_pml4:              .space 4096
boot_pdpt:              .space 4096
boot_page_directory:    .space 4096
boot_stack:             .space STACK_SIZE
boot_stack_top:
