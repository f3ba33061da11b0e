/*
 * UpcallEntry.S: the interrupt entry of the event-channel upcall.
 *
 * The hypervisor injects the upcall as an external interrupt at the vector
 * the guest chose (Upcall.swift), through an interrupt gate: the CPU has
 * turned interrupts off, pushed SS, RSP, RFLAGS, CS and RIP, and the
 * interrupted code expects every register back as it was. Unlike an
 * exception stub (GuestExceptionEntry.S), this one returns, so it saves
 * everything the Swift handler may change: the System V ABI lets a function
 * change RAX, RCX, RDX, RSI, RDI, R8-R11, the x87/SSE registers and RFLAGS
 * (the other registers it must keep itself). RFLAGS comes back with IRETQ;
 * FXSAVE64 takes the x87, MMX and SSE state, MXCSR included. The guests are
 * built without a red zone, so the CPU's pushes overwrite nothing the
 * interrupted function still needs below its RSP.
 *
 * The frame, lowest address first, while guest_upcall runs:
 *   FXSAVE area (512 bytes, 16-byte aligned), [alignment], RBP,
 *   R11, R10, R9, R8, RDI, RSI, RDX, RCX, RAX, then the CPU's five words.
 */

    .section .text.upcall, "ax"
    .code64
    .globl upcall_entry
upcall_entry:
    pushq %rax
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    /* FXSAVE wants a 16-byte aligned area and the ABI a 16-byte aligned
       stack at the call: align here, and keep the old RSP in RBP (which the
       handler preserves). */
    pushq %rbp
    movq %rsp, %rbp
    andq $-16, %rsp
    subq $512, %rsp
    fxsave64 (%rsp)
    cld                                 /* the ABI wants DF clear; IRETQ restores it */
    call guest_upcall                   /* Upcall.swift */
    fxrstor64 (%rsp)
    movq %rbp, %rsp
    popq %rbp
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rax
    iretq                               /* RIP, CS, RFLAGS (IF on again), RSP, SS */
