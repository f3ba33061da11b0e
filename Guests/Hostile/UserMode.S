/*
 * UserMode.S: a round trip to the guest's own ring 3 and back with SYSCALL
 * and SYSRET, the path every system call of a guest OS takes. It needs the
 * SYSCALL MSRs (STAR, LSTAR, SFMASK, EFER.SCE) to be the guest's own on
 * both vendors, kept per vCPU by the hypervisor.
 *
 *   void user_mode_round_trip(uint64_t *results, uint64_t hypercall_stub);
 *
 * Steps:
 *   1. EFER.SCE; STAR: kernel CS 0x08 (SS 0x10), SYSRET base 0x18 (user
 *      SS 0x20|3, user 64-bit CS 0x28|3; Entry.S's GDT); LSTAR = the entry
 *      below; SFMASK clears IF, TF, DF. results[0] = LSTAR read back.
 *   2. The U/S bit on the identity map (PML4[0], PDPT[0], every 2 MiB PDE):
 *      ring 3 may then run this code and use its stack; reload CR3.
 *   3. IRETQ to ring 3 at user_code, on user_stack.
 *   4. In ring 3: SYSCALL with RAX = 1; the kernel side adds 100 and
 *      SYSRETs; results[1] = what came back (101).
 *   5. Still in ring 3: a hypercall (xen_version 0) through the stub: the
 *      hypervisor must refuse it, since it came from user mode;
 *      results[2] = its result (-EPERM).
 *   6. SYSCALL with RAX = 2: the kernel side does not return to ring 3; it
 *      records RCX (the user RIP after the SYSCALL: results[3]) and CS
 *      (results[4]), takes the U/S bits away again, and returns to the
 *      caller on its own stack.
 * Interrupts stay off throughout, so ring 3 needs no TSS stack.
 */
#define MSR_EFER    0xC0000080
#define MSR_STAR    0xC0000081
#define MSR_LSTAR   0xC0000082
#define MSR_SFMASK  0xC0000084
#define EFER_SCE    1
#define PTE_USER    4

    .code64
    .section .text.user_mode, "ax"
    .globl user_mode_round_trip
    .type user_mode_round_trip, @function
user_mode_round_trip:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq  %rdi, saved_results(%rip)
    movq  %rsi, saved_stub(%rip)
    movq  %rsp, saved_kernel_rsp(%rip)

    /* 1. */
    movl  $MSR_EFER, %ecx
    rdmsr
    orl   $EFER_SCE, %eax
    wrmsr
    movl  $MSR_STAR, %ecx
    xorl  %eax, %eax
    movl  $0x00180008, %edx         /* bits 63:48 = 0x18, bits 47:32 = 0x08 */
    wrmsr
    movl  $MSR_LSTAR, %ecx
    leaq  kernel_entry(%rip), %rax
    movq  %rax, %rdx
    shrq  $32, %rdx
    wrmsr
    movl  $MSR_SFMASK, %ecx
    movl  $0x700, %eax              /* TF, IF, DF */
    xorl  %edx, %edx
    wrmsr
    movl  $MSR_LSTAR, %ecx
    rdmsr
    shlq  $32, %rdx
    orq   %rdx, %rax
    movq  saved_results(%rip), %rdi
    movq  %rax, 0(%rdi)

    /* 2. */
    call  set_user_bits

    /* 3. SS, RSP, RFLAGS (IF = 0), CS, RIP */
    pushq $0x23
    leaq  user_stack_top(%rip), %rax
    pushq %rax
    pushq $0x2
    pushq $0x2B
    leaq  user_code(%rip), %rax
    pushq %rax
    iretq

user_code:
    /* 4. */
    movq  $1, %rax
    syscall
    movq  %rax, %rbx
    /* 5. */
    xorl  %edi, %edi                /* XENVER_version */
    xorl  %esi, %esi
    movq  saved_stub(%rip), %rax
    call  *%rax
    movq  %rax, %r12
    /* 6. */
    movq  $2, %rax
    syscall
1:  jmp   1b                        /* never reached */

kernel_entry:
    /* Ring 0, still on the user stack; RCX = user RIP, R11 = user RFLAGS. */
    cmpq  $1, %rax
    jne   2f
    addq  $100, %rax
    sysretq
2:  movq  saved_results(%rip), %rdi
    movq  %rbx, 8(%rdi)
    movq  %r12, 16(%rdi)
    movq  %rcx, 24(%rdi)
    movq  %cs, %rax
    movq  %rax, 32(%rdi)
    movq  saved_kernel_rsp(%rip), %rsp
    call  clear_user_bits
    popq  %r15
    popq  %r14
    popq  %r13
    popq  %r12
    popq  %rbp
    popq  %rbx
    ret
    .size user_mode_round_trip, . - user_mode_round_trip

/* Sets (set_user_bits) or clears (clear_user_bits) U/S in the boot page
   tables' entries that map the first 1 GiB, then reloads CR3. */
set_user_bits:
    movq  $PTE_USER, %rax
    jmp   3f
clear_user_bits:
    xorl  %eax, %eax
3:  leaq  boot_pml4(%rip), %rdi
    call  4f
    leaq  boot_pdpt(%rip), %rdi
    call  4f
    leaq  boot_page_directory(%rip), %rdi
    movl  $512, %ecx
5:  call  4f
    addq  $8, %rdi
    decl  %ecx
    jnz   5b
    movq  %cr3, %rax
    movq  %rax, %cr3
    ret
4:  andq  $~PTE_USER, (%rdi)        /* one entry: U/S := RAX's bit */
    orq   %rax, (%rdi)
    ret

    .section .bss.user_mode, "aw", @nobits
    .p2align 4
saved_results:      .space 8
saved_stub:         .space 8
saved_kernel_rsp:   .space 8
    .p2align 12
user_stack:         .space 4096
user_stack_top:
