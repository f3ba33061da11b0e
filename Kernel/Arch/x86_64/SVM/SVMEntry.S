/*
 * SVMEntry.S: run a guest once with VMRUN (AMD APM Vol. 2, 15.5).
 *
 *   uint64_t svm_run(uint64_t vmcb, GuestRegisters *registers, uint64_t host_state,
 *                    void *fxsave_area);
 *   void svm_save_host_state(uint64_t host_state);
 *
 * VMRUN itself switches only part of the state: RAX, RSP, RIP, the control
 * registers, CS/SS/DS/ES and descriptor tables. FS, GS, TR, LDTR and the
 * SYSCALL/SYSENTER MSRs are switched with VMLOAD/VMSAVE; the general
 * registers and the x87/SSE registers are ours to switch (the hypervisor's
 * Swift code uses XMM registers: without FXRSTOR/FXSAVE here a guest would
 * see hypervisor values after every exit, and other domains' after a
 * switch). The sequence:
 *   1. save host callee-saved registers and the four arguments; load the
 *      guest's x87/SSE state (FXRSTOR64);
 *   2. CLGI: no interrupt may arrive between here and the exit handling;
 *      then STI: with GIF = 0 nothing arrives yet, but the host's IF is 1
 *      at VMRUN, which is what lets a physical interrupt (the APIC timer)
 *      make the guest exit (V_INTR_MASKING, APM 15.21.1);
 *   3. VMLOAD the guest's FS/GS/TR/...: the host's never change after boot,
 *      so svm_save_host_state saved them into host_state once, at enable;
 *   4. load the guest's general registers, VMRUN (RAX = the VMCB);
 *   5. after #VMEXIT (RAX, RSP, RIP are the host's again, GIF = 0 and IF as
 *      it was at VMRUN): store the guest's general registers, VMSAVE the
 *      guest's, VMLOAD the host's; FXSAVE64 the guest's x87/SSE state and
 *      give the host a clean x87 unit (FNINIT) and the default MXCSR, the
 *      values the SysV ABI's callee-saved control words have in the
 *      hypervisor at all times (it never changes them);
 *   6. CLI, then STGI: the hypervisor goes on with interrupts off;
 *   7. the interrupt that caused an INTR exit is still pending in the APIC
 *      (the exit does not acknowledge it): STI; NOP; CLI lets it in for
 *      one instruction, and its handler (InterruptEntry.S) sends the EOI.
 *      Without a pending interrupt the window costs three instructions;
 *   8. restore, return.
 * Guest RAX lives in the VMCB; the Swift side copies it to and from the
 * register block.
 */
    .section .text
    .code64
    .globl svm_run
svm_run:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $8, %rsp               /* 32(%rsp): padding, for 16-byte alignment */
    pushq %rcx                  /* 24(%rsp): fxsave_area */
    pushq %rdx                  /* 16(%rsp): host_state */
    pushq %rsi                  /*  8(%rsp): registers */
    pushq %rdi                  /*  0(%rsp): vmcb */
    fxrstor64 (%rcx)            /* the guest's x87/SSE state */

    clgi
    sti
    movq (%rsp), %rax
    vmload %rax                 /* the guest's FS/GS/TR/LDTR/... */

    movq 0x08(%rsi), %rbx
    movq 0x10(%rsi), %rcx
    movq 0x18(%rsi), %rdx
    movq 0x28(%rsi), %rdi
    movq 0x30(%rsi), %rbp
    movq 0x38(%rsi), %r8
    movq 0x40(%rsi), %r9
    movq 0x48(%rsi), %r10
    movq 0x50(%rsi), %r11
    movq 0x58(%rsi), %r12
    movq 0x60(%rsi), %r13
    movq 0x68(%rsi), %r14
    movq 0x70(%rsi), %r15
    movq 0x20(%rsi), %rsi       /* last: it held the block's address */

    vmrun %rax

    /* #VMEXIT: RAX = the VMCB address again, RSP as before VMRUN. */
    pushq %rsi                  /* the guest's RSI, for a moment */
    movq 16(%rsp), %rsi         /* registers */
    movq %rbx, 0x08(%rsi)
    movq %rcx, 0x10(%rsi)
    movq %rdx, 0x18(%rsi)
    popq 0x20(%rsi)
    movq %rdi, 0x28(%rsi)
    movq %rbp, 0x30(%rsi)
    movq %r8,  0x38(%rsi)
    movq %r9,  0x40(%rsi)
    movq %r10, 0x48(%rsi)
    movq %r11, 0x50(%rsi)
    movq %r12, 0x58(%rsi)
    movq %r13, 0x60(%rsi)
    movq %r14, 0x68(%rsi)
    movq %r15, 0x70(%rsi)

    movq (%rsp), %rax
    vmsave %rax                 /* guest FS/GS/TR/... back into its VMCB */
    movq 16(%rsp), %rax
    vmload %rax                 /* host's, so exceptions find our TSS again */
    movq 24(%rsp), %rax
    fxsave64 (%rax)             /* the guest's x87/SSE state */
    fninit                      /* x87 control word 037Fh */
    ldmxcsr host_mxcsr
    cli
    stgi
    sti                         /* 7. the window: a pending interrupt is taken after the NOP */
    nop
    cli

    addq $40, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    xorl %eax, %eax
    ret

    .globl svm_save_host_state
svm_save_host_state:
    movq %rdi, %rax
    vmsave %rax                 /* the host's FS/GS/TR/LDTR/... into host_state */
    ret

    .section .rodata
    .p2align 2
host_mxcsr:
    .long 0x1F80                /* MXCSR at reset: all exceptions masked, round to nearest */
