/*
 * GeneralProtectionProbe.S: one MOV to CR4 that may raise #GP, for the
 * hostile guest's checks of the hypervisor's CR4 policy.
 *
 * GuestKit's exception handlers end the domain on any exception
 * (GuestExceptionEntry.S). Here a #GP is the expected answer, so for the one
 * instruction the probe borrows IDT gate 13: it points the gate at a
 * landing pad that records the error code and resumes after the MOV, and
 * puts the gate back before it returns.
 *
 *   uint64_t write_cr4_catching_gp(uint64_t value, uint64_t *error_code);
 *     CR4 = value. Returns 0 if the MOV completed, 1 if it raised #GP
 *     (then CR4 is unchanged and the error code is in *error_code).
 *
 * Interrupts are off meanwhile, so nothing else meets the borrowed gate.
 * An exception at ring 0 through a 64-bit interrupt gate pushes SS, RSP,
 * RFLAGS, CS, RIP and, for #GP, an error code (Intel SDM Vol. 3A, 6.14.2);
 * IRETQ returns to whatever RIP the frame holds then.
 */
    .code64
    .section .text.general_protection_probe, "ax"

    /* Each 64-bit IDT gate is 16 bytes (SDM Vol. 3A, 6.14.1). */
    .set GATE_13_OFFSET, 13 * 16

    .globl write_cr4_catching_gp
    .type write_cr4_catching_gp, @function
write_cr4_catching_gp:
    pushfq
    cli
    subq  $16, %rsp
    sidt  (%rsp)                    /* limit (2 bytes), then base (8 bytes) */
    movq  2(%rsp), %r8
    addq  $16, %rsp
    addq  $GATE_13_OFFSET, %r8      /* r8 = the #GP gate */
    movq  (%r8), %r9                /* the gate, to put back */
    movq  8(%r8), %r10

    /* The same gate (selector, type, DPL) for the landing pad: offset bits
       15:0 go to bits 15:0, bits 31:16 to bits 63:48, bits 63:32 to the
       upper 8 bytes. */
    leaq  gp_landing(%rip), %rax
    movabsq $0x0000FFFFFFFF0000, %rcx
    andq  %r9, %rcx
    movzwl %ax, %edx
    orq   %rdx, %rcx
    movq  %rax, %rdx
    shrq  $16, %rdx
    shlq  $48, %rdx
    orq   %rdx, %rcx
    movq  %rax, %rdx
    shrq  $32, %rdx
    movq  %rcx, (%r8)
    movq  %rdx, 8(%r8)

    xorl  %eax, %eax                /* 0: no #GP */
    movq  %rdi, %cr4
gp_resume:                          /* the landing pad returns here, EAX = 1 */
    movq  %r9, (%r8)
    movq  %r10, 8(%r8)
    popfq
    ret

gp_landing:
    popq  %rax                      /* the error code */
    movq  %rax, (%rsi)
    leaq  gp_resume(%rip), %rax
    movq  %rax, (%rsp)              /* the frame's RIP: past the MOV */
    movl  $1, %eax
    iretq
    .size write_cr4_catching_gp, . - write_cr4_catching_gp
