/*
 * RegisterState.S: the hostile guest's checks that the hypervisor keeps a
 * vCPU's state exactly. They are assembly because compiled Swift uses XMM
 * registers itself: between a Swift "fill" and a Swift "check" the compiler
 * could clobber what the hypervisor was meant to keep.
 *
 *   void registers_across_hypercall(const void *xmm_in, void *xmm_out,
 *                                   uint64_t cr2, uint64_t stub,
 *                                   uint64_t a1, uint64_t a2);
 *     XMM0-15 from xmm_in (16 x 16 bytes), CR2 = cr2, then one hypercall
 *     through `stub` with arguments a1, a2; then XMM0-15 to xmm_out and CR2
 *     to xmm_out + 256.
 *
 *   uint64_t registers_held(const void *xmm_in, void *xmm_out, uint64_t cr2,
 *                           const volatile uint32_t *time_version,
 *                           uint64_t slices, uint64_t max_iterations);
 *     The same, but instead of a hypercall it spins until the vCPU's
 *     vcpu_time_info version has changed `slices` times (the hypervisor
 *     publishes the time each time it schedules the vCPU in, so each change
 *     is a new time slice: the vCPU was preempted in between, and another
 *     domain may have run) or `max_iterations` loops passed. Returns the
 *     number of changes seen. It spins with interrupts on (the flags are
 *     restored after): Bochs' SVM never takes the timer exit from a guest
 *     that spins with IF = 0 (an emulator bug; QEMU and real CPUs do), and
 *     no virtual interrupt is ever injected into this guest.
 */
    .code64
    .section .text.register_state, "ax"

    .macro load_xmm base
    movdqu 0x00(\base), %xmm0
    movdqu 0x10(\base), %xmm1
    movdqu 0x20(\base), %xmm2
    movdqu 0x30(\base), %xmm3
    movdqu 0x40(\base), %xmm4
    movdqu 0x50(\base), %xmm5
    movdqu 0x60(\base), %xmm6
    movdqu 0x70(\base), %xmm7
    movdqu 0x80(\base), %xmm8
    movdqu 0x90(\base), %xmm9
    movdqu 0xA0(\base), %xmm10
    movdqu 0xB0(\base), %xmm11
    movdqu 0xC0(\base), %xmm12
    movdqu 0xD0(\base), %xmm13
    movdqu 0xE0(\base), %xmm14
    movdqu 0xF0(\base), %xmm15
    .endm

    .macro store_xmm base
    movdqu %xmm0,  0x00(\base)
    movdqu %xmm1,  0x10(\base)
    movdqu %xmm2,  0x20(\base)
    movdqu %xmm3,  0x30(\base)
    movdqu %xmm4,  0x40(\base)
    movdqu %xmm5,  0x50(\base)
    movdqu %xmm6,  0x60(\base)
    movdqu %xmm7,  0x70(\base)
    movdqu %xmm8,  0x80(\base)
    movdqu %xmm9,  0x90(\base)
    movdqu %xmm10, 0xA0(\base)
    movdqu %xmm11, 0xB0(\base)
    movdqu %xmm12, 0xC0(\base)
    movdqu %xmm13, 0xD0(\base)
    movdqu %xmm14, 0xE0(\base)
    movdqu %xmm15, 0xF0(\base)
    .endm

    .globl registers_across_hypercall
    .type registers_across_hypercall, @function
registers_across_hypercall:
    pushq %rbx
    pushq %r12
    movq  %rsi, %rbx                /* xmm_out, callee-saved across the call */
    movq  %rcx, %r12                /* the stub */
    load_xmm %rdi
    movq  %rdx, %cr2
    movq  %r8, %rdi                 /* the hypercall's arguments */
    movq  %r9, %rsi
    call  *%r12
    store_xmm %rbx
    movq  %cr2, %rax
    movq  %rax, 0x100(%rbx)
    popq  %r12
    popq  %rbx
    ret
    .size registers_across_hypercall, . - registers_across_hypercall

    .globl registers_held
    .type registers_held, @function
registers_held:
    pushfq
    sti
    load_xmm %rdi
    movq  %rdx, %cr2
    xorl  %eax, %eax                /* changes seen */
    movl  (%rcx), %edx              /* the version last seen */
1:  movl  (%rcx), %edi
    cmpl  %edi, %edx
    je    2f
    movl  %edi, %edx
    testl $1, %edi                  /* odd: an update in progress; count it once done */
    jnz   2f
    incq  %rax
    cmpq  %r8, %rax
    jae   3f
2:  pause
    decq  %r9
    jnz   1b
3:  store_xmm %rsi
    movq  %cr2, %rdx
    movq  %rdx, 0x100(%rsi)
    popfq
    ret
    .size registers_held, . - registers_held
