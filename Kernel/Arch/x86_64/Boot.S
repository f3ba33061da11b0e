/*
 * Boot.S: from the multiboot loader's 32-bit protected mode to 64-bit Swift.
 *
 * The loader (QEMU -kernel or GRUB) jumps to multiboot_entry with
 *   EAX = 0x2BADB002 (the multiboot1 magic), EBX = physical address of the
 *   multiboot information, paging off, interrupts off, flat 4 GiB segments.
 * Steps, in order:
 *   1. keep EAX/EBX (they are the boot arguments) and load a stack;
 *   2. build page tables that identity-map the first 4 GiB with 2 MiB pages;
 *   3. enable PAE, long mode (EFER.LME, and NXE), then paging (caches on):
 *      long mode is on;
 *   4. load a GDT with a 64-bit code segment and far-jump into it;
 *   5. turn on SSE (Swift emits SSE instructions) and call kernel_main.
 */

#define MULTIBOOT_MAGIC     0x1BADB002
/* bit 0: page-align modules, bit 1: give us the memory map,
   bit 16: the address fields below are valid (the "a.out kludge") */
#define MULTIBOOT_FLAGS     0x00010003

#define BOOT_STACK_SIZE     (64 * 1024)

    .section .multiboot, "a"
    .p2align 2
multiboot_header:
    .long MULTIBOOT_MAGIC
    .long MULTIBOOT_FLAGS
    .long -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)
    .long multiboot_header      /* header_addr */
    .long __image_start         /* load_addr */
    .long __load_end            /* load_end_addr */
    .long __bss_end             /* bss_end_addr */
    .long multiboot_entry       /* entry_addr */

    .section .text.boot, "ax"
    .code32
    .globl multiboot_entry
multiboot_entry:
    cli
    cld
    movl %eax, %edi                     /* multiboot magic: first argument */
    movl %ebx, %esi                     /* multiboot info: second argument */
    rdtsc                               /* the TSC at our first instructions: how long */
    movl %eax, boot_entry_tsc           /* the boot takes is reported from here */
    movl %edx, boot_entry_tsc + 4       /* (Main's reportBootLength) */
    movl $(boot_stack + BOOT_STACK_SIZE), %esp

    /* 2. PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 2 MiB pages */
    movl $boot_pdpt, %eax
    orl  $0x3, %eax                     /* present, writable */
    movl %eax, boot_pml4

    movl $boot_page_directories, %eax
    movl $boot_pdpt, %ebx
    movl $4, %ecx
1:  movl %eax, %edx
    orl  $0x3, %edx
    movl %edx, (%ebx)
    addl $4096, %eax
    addl $8, %ebx
    loop 1b

    /* 2048 entries of 2 MiB: entry i maps i * 2 MiB (present, writable, PS) */
    movl $boot_page_directories, %ebx
    xorl %eax, %eax                     /* low dword of the physical address */
    xorl %edx, %edx                     /* high dword (bits 32+ of the address) */
    movl $2048, %ecx
2:  movl %eax, %ebp
    orl  $0x83, %ebp
    movl %ebp, (%ebx)
    movl %edx, 4(%ebx)
    addl $0x200000, %eax
    adcl $0, %edx
    addl $8, %ebx
    loop 2b

    /* 3. CR4.PAE, CR3, EFER.LME|NXE, CR0.PG|WP */
    movl %cr4, %eax
    orl  $(1 << 5), %eax
    movl %eax, %cr4

    movl $boot_pml4, %eax
    movl %eax, %cr3

    movl $0xC0000080, %ecx
    rdmsr
    orl  $((1 << 8) | (1 << 11)), %eax
    wrmsr

    /* Paging on, write-protect honoured in ring 0, and caches on: some
       firmware leaves CR0.CD and CR0.NW set, and VM entry would hand that
       to every guest. */
    movl %cr0, %eax
    andl $~((1 << 30) | (1 << 29)), %eax
    orl  $((1 << 31) | (1 << 16) | 1), %eax
    movl %eax, %cr0

    /* 4. 64-bit code segment */
    lgdt boot_gdt_pointer
    ljmp $0x08, $long_mode_entry

    .code64
long_mode_entry:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movq $(boot_stack + BOOT_STACK_SIZE), %rsp
    xorl %ebp, %ebp                     /* ends the frame chain for backtraces */

    /* 5. SSE: CR0.EM = 0, CR0.MP = 1; CR4.OSFXSR | CR4.OSXMMEXCPT */
    movq %cr0, %rax
    andq $~(1 << 2), %rax
    orq  $(1 << 1), %rax
    movq %rax, %cr0
    movq %cr4, %rax
    orq  $((1 << 9) | (1 << 10)), %rax
    movq %rax, %cr4

    /* The upper halves of registers are undefined after the mode switch:
       zero-extend the two boot arguments again. */
    movl %edi, %edi
    movl %esi, %esi
    call kernel_main
3:  cli
    hlt
    jmp 3b

    .section .rodata
    .p2align 3
boot_gdt:
    .quad 0                             /* null */
    .quad 0x00AF9A000000FFFF            /* 0x08: 64-bit code, ring 0 */
    .quad 0x00CF92000000FFFF            /* 0x10: data, ring 0 */
boot_gdt_end:
boot_gdt_pointer:
    .word boot_gdt_end - boot_gdt - 1
    .quad boot_gdt

    .section .data
    .p2align 3
    .globl boot_entry_tsc
boot_entry_tsc:         .quad 0

    .section .bss
    .p2align 12
boot_pml4:              .space 4096
boot_pdpt:              .space 4096
boot_page_directories:  .space 4 * 4096
    .globl boot_stack
boot_stack:             .space BOOT_STACK_SIZE
    .globl boot_stack_top
boot_stack_top:
